// Builds the harness's own images without a registry: a rootfs tarball (the Node binary, the
// libraries ldd lists for it, a bundled script, optionally a static busybox) imported as an image.
// The tag is a hash of the inputs alone (never of the working folder), concurrent first builds of
// one tag wait on a lock instead of racing, and older images of the same family are pruned.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pack, type Pack } from 'tar-stream';
import { EnvironmentError } from '../errors.js';
import { docker, inspectImage, type DockerEndpoint } from './client.js';

export const BUSYBOX = '/bin/busybox';

export interface ImageRecipe {
  /** Image repository, e.g. ovms-validate-stand-in; also the family that is pruned. */
  repo: string;
  /** A label every image of the family carries (for pruning and recognition). */
  label: string;
  /** Bumped when the recipe's code changes in a way the inputs below do not show. */
  version: string;
  /** Everything else that makes the image what it is (script text, fault switches...). */
  inputs: string[];
  withBusybox: boolean;
  /** Adds the recipe's own entries to the rootfs after node and its libraries. */
  fill(p: Pack, helpers: RootfsHelpers): void;
  /** docker import --change lines (USER, ENTRYPOINT ...); the family label is added. */
  changes: string[];
  /** How many images of the family to keep, newest first. */
  keep: number;
}

export interface RootfsHelpers {
  dir(name: string, mode?: number, uid?: number, gid?: number): void;
  file(name: string, content: Buffer | string, mode?: number): void;
}

export interface BuiltImage { tag: string; id: string; built: boolean }

function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.add(m[1]);
  }
  return [...libs].sort();
}

export function requireStaticBusybox(): void {
  try {
    statSync(BUSYBOX);
  } catch {
    throw new EnvironmentError(`${BUSYBOX} is missing (needed for the stand-in image); apt-get install busybox-static, or run through bash scripts/with-env.sh`);
  }
  try {
    execFileSync('ldd', [BUSYBOX], { stdio: 'ignore' });
  } catch {
    return; // "not a dynamic executable": static, as needed
  }
  throw new EnvironmentError(`${BUSYBOX} is dynamically linked; apt-get install busybox-static`);
}

/** The tag: what goes into the image, identified by content, version and size, not by path or time. */
export function imageTag(r: ImageRecipe, node: string): string {
  const h = createHash('sha256');
  h.update(`${r.version}\0${process.version}\0${process.arch}\0${statSync(node).size}\0`);
  for (const lib of sharedLibraries(node)) h.update(`${lib}:${statSync(realpathSync(lib)).size}\0`);
  if (r.withBusybox) h.update(`busybox:${statSync(BUSYBOX).size}\0`);
  for (const i of r.inputs) h.update(i).update('\0');
  return `${r.repo}:${h.digest('hex').slice(0, 16)}`;
}

function rootfs(r: ImageRecipe, node: string): Readable {
  const p = pack();
  const seen = new Set<string>();
  const helpers: RootfsHelpers = {
    dir: (name, mode = 0o755, uid = 0, gid = 0) => { if (!seen.has(name)) { seen.add(name); p.entry({ name, type: 'directory', mode, uid, gid }); } },
    file: (name, content, mode = 0o644) => { p.entry({ name, mode, uid: 0, gid: 0 }, content); },
  };
  for (const d of ['bin', 'etc', 'usr', 'usr/local', 'usr/local/bin', 'proc', 'sys', 'dev']) helpers.dir(d);
  helpers.file('usr/local/bin/node', readFileSync(node), 0o755);
  for (const lib of sharedLibraries(node)) {
    const parts = lib.slice(1).split('/');
    for (let i = 1; i < parts.length; i++) helpers.dir(parts.slice(0, i).join('/'));
    helpers.file(lib.slice(1), readFileSync(realpathSync(lib)), 0o755);
  }
  if (r.withBusybox) helpers.file('bin/busybox', readFileSync(BUSYBOX), 0o755);
  r.fill(p, helpers);
  p.finalize();
  return p as unknown as Readable;
}

/** One builder per tag at a time, across processes: a lock file beside the other temp files. */
async function withBuildLock<T>(tag: string, work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `ovms-validate-build-${tag.replace(/[^\w.-]/g, '_')}.lock`);
  const until = Date.now() + 300_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      let stale = false;
      try { stale = Date.now() - statSync(lock).mtimeMs > 300_000; } catch { continue; }
      if (stale) { rmSync(lock, { force: true }); continue; }
      if (Date.now() > until) throw new EnvironmentError(`another process has been building ${tag} for 5 minutes (lock ${lock}); remove the lock if no build runs`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Removes images of the family beyond the newest `keep`, and any dangling ones; in-use images stay. */
export async function pruneFamily(ep: DockerEndpoint, r: Pick<ImageRecipe, 'label' | 'keep'>, keepTag: string): Promise<string[]> {
  const d = docker(ep);
  const images = await d.listImages({ all: false, filters: JSON.stringify({ label: [`${r.label}=true`] }) });
  images.sort((a, b) => b.Created - a.Created);
  const removed: string[] = [];
  let others = 0;
  for (const img of images) {
    const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    if (tags.includes(keepTag)) continue;
    if (tags.length > 0 && others < r.keep - 1) { others++; continue; }
    try {
      await d.getImage(img.Id).remove({ force: false });
      removed.push(tags[0] ?? `dangling ${img.Id.slice(7, 19)}`);
    } catch { /* in use by a container, or already gone */ }
  }
  return removed;
}

export async function ensureImage(ep: DockerEndpoint, r: ImageRecipe, progress: (line: string) => void = () => undefined): Promise<BuiltImage> {
  if (r.withBusybox) requireStaticBusybox();
  const node = realpathSync(process.execPath);
  const tag = imageTag(r, node);
  const found = await inspectImage(ep, tag);
  if (found) return { tag, id: found.Id, built: false };
  return withBuildLock(tag, async () => {
    const again = await inspectImage(ep, tag);
    if (again) return { tag, id: again.Id, built: false };
    progress(`building image ${tag} (node ${process.version}${r.withBusybox ? ', busybox' : ''}, bundled script)`);
    const d = docker(ep);
    const [repo, version] = tag.split(':') as [string, string];
    const stream = await d.importImage(rootfs(r, node) as unknown as string, { repo, tag: version, changes: [...r.changes, `LABEL ${r.label}=true`] } as object);
    await new Promise<void>((resolve, reject) => {
      d.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
        const failed = output?.find((o) => o.error);
        if (err || failed) reject(new EnvironmentError(`building ${tag} failed: ${err?.message ?? failed?.error}`));
        else resolve();
      });
    });
    const built = await inspectImage(ep, tag);
    if (!built) throw new EnvironmentError(`the image ${tag} is missing after import`);
    const pruned = await pruneFamily(ep, r, tag);
    progress(`built image ${tag}${pruned.length ? `; removed older: ${pruned.join(', ')}` : ''}`);
    return { tag, id: built.Id, built: true };
  });
}
