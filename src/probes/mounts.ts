// /proc/mounts as seen inside the container.
import { execIn } from '../target/docker.js';

export interface MountEntry { source: string; target: string; fstype: string; options: string[] }

export function parseMounts(text: string): MountEntry[] {
  return text.split('\n').filter(Boolean).map((line) => {
    const [source = '', target = '', fstype = '', options = ''] = line.split(' ');
    const unescape = (s: string): string => s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    return { source: unescape(source), target: unescape(target), fstype, options: options.split(',') };
  });
}

export async function readMounts(containerId: string): Promise<MountEntry[]> {
  const r = await execIn(containerId, ['cat', '/proc/mounts']);
  if (r.exitCode !== 0) throw new Error(`cat /proc/mounts failed: ${r.stderr.trim()}`);
  return parseMounts(r.stdout);
}

/** The mount that holds `path` (the last, longest matching mount point wins, as the kernel resolves it). */
export function mountFor(mounts: MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const prefix = m.target === '/' ? '/' : `${m.target}/`;
    if (path === m.target || path.startsWith(prefix)) {
      if (!best || m.target.length >= best.target.length) best = m;
    }
  }
  return best;
}
