// Builds the stand-in image without a registry: a rootfs tarball (Node binary + the libraries ldd
// lists + static busybox + the bundled stand-in) imported with `docker import`-style changes.
// The tag is a hash of every input, so an unchanged stand-in is reused.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { EnvironmentError } from '../errors.js';
import { dockerode, inspectImage } from './docker.js';

export const STAND_IN_REPO = 'ovms-validate-stand-in';
const RECIPE_VERSION = '1';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'id', 'touch', 'cat', 'ls', 'mkdir', 'rm', 'echo', 'stat', 'grep', 'head', 'sleep', 'env', 'df', 'mount', 'ps'];

/** Faults that change the image itself; the others are switched at run time. */
export interface ImageFaults { rootUser: boolean; tmpNotWritable: boolean }

export interface StandInImage { tag: string; id: string; built: boolean }

export async function bundleStandIn(): Promise<string> {
  const result = await build({
    entryPoints: [`${ROOT}fixtures/stand-in/src/main.ts`],
    bundle: true, platform: 'node', format: 'esm', target: 'node22', write: false,
    loader: { '.proto': 'text' }, legalComments: 'none', logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return result.outputFiles[0]!.text;
}

function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.add(m[1]);
  }
  return [...libs];
}

function requireStaticBusybox(): void {
  try {
    statSync(BUSYBOX);
  } catch {
    throw new EnvironmentError('/bin/busybox is missing (needed for the stand-in image); apt-get install busybox-static, or run through bash scripts/with-env.sh');
  }
  try {
    execFileSync('ldd', [BUSYBOX], { stdio: 'ignore' });
    throw new EnvironmentError('/bin/busybox is dynamically linked; apt-get install busybox-static');
  } catch (e) {
    if (e instanceof EnvironmentError) throw e;
  }
}

function imageTag(server: string, node: string, faults: ImageFaults): string {
  const h = createHash('sha256');
  h.update(RECIPE_VERSION).update(server).update(JSON.stringify(faults));
  for (const f of [node, BUSYBOX]) h.update(`${f}:${statSync(f).size}:${statSync(f).mtimeMs}`);
  h.update(process.version);
  return `${STAND_IN_REPO}:${h.digest('hex').slice(0, 16)}`;
}

function rootfs(server: string, node: string, faults: ImageFaults): Readable {
  const p = pack();
  const dir = (name: string, mode = 0o755, uid = 0, gid = 0): void => { p.entry({ name, type: 'directory', mode, uid, gid }); };
  const file = (name: string, content: Buffer | string, mode = 0o644): void => { p.entry({ name, mode, uid: 0, gid: 0 }, content); };
  for (const d of ['bin', 'etc', 'usr', 'usr/local', 'usr/local/bin', 'ovms', 'ovms/bin', 'ovms/lib', 'ovms/lib/stand-in', 'home', 'proc', 'sys', 'dev', 'models', 'root']) dir(d);
  // /tmp's mode is inherited by a --tmpfs /tmp mount (facts/environment.md): 1777 like Ubuntu, 0755 for the fault.
  dir('tmp', faults.tmpNotWritable ? 0o755 : 0o1777);
  dir('home/ovms', 0o755, 5000, 5000);
  file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\novms:x:5000:5000:ovms:/home/ovms:/bin/sh\n');
  file('etc/group', 'root:x:0:\novms:x:5000:\n');
  file('bin/busybox', readFileSync(BUSYBOX), 0o755);
  for (const a of APPLETS) p.entry({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777 });
  file('usr/local/bin/node', readFileSync(node), 0o755);
  const dirs = new Set<string>();
  for (const lib of sharedLibraries(node)) {
    const parts = lib.slice(1).split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!dirs.has(d) && !['usr', 'usr/local'].includes(d)) { dirs.add(d); dir(d); }
    }
    file(lib.slice(1), readFileSync(realpathSync(lib)), 0o755);
  }
  file('ovms/lib/stand-in/server.mjs', server);
  file('ovms/metadata.json', JSON.stringify({ PROJECT_VERSION: 'stand-in', NOTE: 'ovms-validate stand-in, not OpenVINO Model Server' }));
  p.finalize();
  return p as unknown as Readable;
}

export async function ensureStandInImage(faults: ImageFaults, progress: (line: string) => void = () => undefined): Promise<StandInImage> {
  requireStaticBusybox();
  const server = await bundleStandIn();
  const node = realpathSync(process.execPath);
  const tag = imageTag(server, node, faults);
  const existing = await inspectImage(tag);
  if (existing) return { tag, id: existing.Id, built: false };

  progress(`building stand-in image ${tag} (node ${process.version}, busybox, bundled server)`);
  const docker = await dockerode();
  const changes = [
    `USER ${faults.rootUser ? 'root' : 'ovms'}`,
    'WORKDIR /',
    'ENV PATH=/usr/local/bin:/bin:/ovms/bin',
    'ENTRYPOINT ["/usr/local/bin/node", "/ovms/lib/stand-in/server.mjs"]',
    'LABEL io.ovms-validate.stand-in=true',
  ];
  const [repo, version] = tag.split(':') as [string, string];
  const stream = await docker.importImage(rootfs(server, node, faults) as unknown as string, { repo, tag: version, changes } as object);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
      const failed = output?.find((o) => o.error);
      if (err || failed) reject(new EnvironmentError(`building the stand-in image failed: ${err?.message ?? failed?.error}`));
      else resolve();
    });
  });
  const built = await inspectImage(tag);
  if (!built) throw new EnvironmentError(`the stand-in image ${tag} is missing after import`);
  progress(`built stand-in image ${tag}`);
  return { tag, id: built.Id, built: true };
}
