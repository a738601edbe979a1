// A harness whose parent is gone (npx killed with kill -9, a supervisor that exited) is orphaned and
// would run on unseen: it watches its parent and stops as on SIGHUP when it changes.
/** The parent of the harness: when it is gone (npx killed, a supervisor that exited), the run stops as on SIGHUP. */
export function watchParent(onGone: () => void): () => void {
  const parent = process.ppid;
  if (parent <= 1) return () => undefined;
  const timer = setInterval(() => { if (process.ppid !== parent) onGone(); }, 500);
  timer.unref();
  return () => clearInterval(timer);
}

