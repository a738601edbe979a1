// The Docker engine the harness uses: exactly the one DOCKER_HOST names (or the default socket when
// it is unset), never another. The endpoint travels in the run description, so every process of
// the run talks to the same engine, and testcontainers is pointed at it the same way.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { EnvironmentError, UsageError } from '../errors.js';
import { LABEL_MANAGED, LABEL_OWNER, LABEL_RUN } from './labels.js';

export interface DockerEndpoint {
  /** As given: unix:///var/run/docker.sock, tcp://host:2376 ... */
  host: string;
  /** Where it came from: "DOCKER_HOST" or "default (DOCKER_HOST unset)". */
  source: string;
  tlsCertPath: string | null;
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The endpoint from the environment; a DOCKER_HOST the harness cannot use is a usage error. */
export function dockerEndpoint(env: NodeJS.ProcessEnv): DockerEndpoint {
  const given = env['DOCKER_HOST'];
  if (given === undefined || given === '') return { host: DEFAULT_DOCKER_HOST, source: 'default (DOCKER_HOST unset)', tlsCertPath: null };
  if (!/^(unix|tcp|http|https):\/\//.test(given)) {
    throw new UsageError(`DOCKER_HOST: '${given}' is not a unix:// or tcp:// address; set it to e.g. unix:///var/run/docker.sock, or unset it`);
  }
  const tls = env['DOCKER_TLS_VERIFY'] === '1' ? (env['DOCKER_CERT_PATH'] ?? null) : null;
  return { host: given, source: 'DOCKER_HOST', tlsCertPath: tls };
}

function modemOptions(ep: DockerEndpoint): Dockerode.DockerOptions {
  const url = new URL(ep.host);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  const tls = ep.tlsCertPath;
  return {
    host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), protocol: tls || url.protocol === 'https:' ? 'https' : 'http',
    ...(tls ? { ca: readFileSync(join(tls, 'ca.pem')), cert: readFileSync(join(tls, 'cert.pem')), key: readFileSync(join(tls, 'key.pem')) } : {}),
  };
}

const clients = new Map<string, Dockerode>();

export function docker(ep: DockerEndpoint): Dockerode {
  let c = clients.get(ep.host);
  if (!c) { c = new Dockerode(modemOptions(ep)); clients.set(ep.host, c); }
  return c;
}

export interface EngineInfo { endpoint: DockerEndpoint; serverVersion: string; apiVersion: string; id: string; cpus: number | null; memoryBytes: number | null }

/** Asks the engine for its version; one line naming the endpoint when nothing answers there. */
export async function engineInfo(ep: DockerEndpoint): Promise<EngineInfo> {
  const url = new URL(ep.host);
  if (url.protocol === 'unix:' && !existsSync(url.pathname)) {
    throw new EnvironmentError(`no Docker socket at ${url.pathname} (${ep.source}); start Docker, fix DOCKER_HOST, or run through: bash scripts/with-env.sh ...`);
  }
  try {
    const c = docker(ep);
    const [v, info] = await Promise.all([c.version(), c.info() as Promise<{ ID?: string; NCPU?: number; MemTotal?: number }>]);
    return { endpoint: ep, serverVersion: v.Version, apiVersion: v.ApiVersion, id: info.ID ?? '', cpus: info.NCPU ?? null, memoryBytes: info.MemTotal ?? null };
  } catch (e) {
    throw new EnvironmentError(`no Docker engine answers at ${ep.host} (${ep.source}): ${(e as Error).message.split('\n')[0]}; start Docker or fix DOCKER_HOST`);
  }
}

export interface ExecResult { exitCode: number; stdout: string; stderr: string }
export async function inspectImage(ep: DockerEndpoint, image: string): Promise<Dockerode.ImageInspectInfo | null> {
  try {
    return await docker(ep).getImage(image).inspect();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return null;
    throw e;
  }
}

/** Splits Docker's multiplexed (non-TTY) log stream into stdout and stderr text. */
export function demux(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let off = 0;
  while (off + 8 <= raw.length) {
    const size = raw.readUInt32BE(off + 4);
    (raw[off] === 2 ? err : out).push(raw.subarray(off + 8, off + 8 + size));
    off += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** The whole log (stdout and stderr, in order) of a container, as text lines. */
export async function containerLog(ep: DockerEndpoint, id: string): Promise<string[]> {
  const raw = await docker(ep).getContainer(id).logs({ stdout: true, stderr: true, follow: false, timestamps: false });
  const chunks: string[] = [];
  for (let off = 0; off + 8 <= raw.length;) {
    const size = raw.readUInt32BE(off + 4);
    chunks.push(raw.subarray(off + 8, off + 8 + size).toString('utf8'));
    off += 8 + size;
  }
  const lines = chunks.join('').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Runs a short-lived container to completion and returns its output: create, start, wait, read
 * the logs, remove. Used for the probe helper and for `--version`; never for the server itself.
 */
export async function runToCompletion(ep: DockerEndpoint, body: Dockerode.ContainerCreateOptions, timeoutMs = 60_000): Promise<ExecResult> {
  const c = await docker(ep).createContainer(body);
  try {
    await c.start();
    const waited = await Promise.race([
      c.wait() as Promise<{ StatusCode: number }>,
      new Promise<null>((r) => setTimeout(() => r(null), timeoutMs).unref()),
    ]);
    if (waited === null) {
      await c.kill().catch(() => undefined);
      throw new Error(`${body.Image} did not finish within ${timeoutMs / 1000} s`);
    }
    const raw = await c.logs({ stdout: true, stderr: true, follow: false });
    return { exitCode: waited.StatusCode, ...demux(raw) };
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

/** Removes containers of this run (runId) or, without runId, leftovers whose owning process is gone. */
export async function removeManagedContainers(ep: DockerEndpoint, runId?: string): Promise<string[]> {
  const d = docker(ep);
  const filters = { label: [runId ? `${LABEL_RUN}=${runId}` : `${LABEL_MANAGED}=true`] };
  const list = await d.listContainers({ all: true, filters: JSON.stringify(filters) });
  const removed: string[] = [];
  for (const c of list) {
    if (!runId && ownerAlive(c.Labels[LABEL_OWNER])) continue;
    try {
      await d.getContainer(c.Id).remove({ force: true, v: true });
      removed.push(c.Id.slice(0, 12));
    } catch (e) {
      const code = (e as { statusCode?: number }).statusCode;
      if (code !== 404 && code !== 409) throw e;
    }
  }
  return removed;
}

function ownerAlive(owner: string | undefined): boolean {
  const [host, pid] = (owner ?? '').split(':');
  if (host !== hostname()) return true; // another host's run: not ours to judge
  if (!pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}
