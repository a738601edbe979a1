// Docker access for the harness through testcontainers' runtime client (dockerode underneath).
import type Dockerode from 'dockerode';
import { getContainerRuntimeClient } from 'testcontainers';
import { EnvironmentError } from '../errors.js';
import { LABEL_MANAGED, LABEL_OWNER, LABEL_RUN } from './labels.js';
import { hostname } from 'node:os';
import { PassThrough } from 'node:stream';

export async function dockerode(): Promise<Dockerode> {
  try {
    const client = await getContainerRuntimeClient();
    return client.container.dockerode;
  } catch (e) {
    throw new EnvironmentError(`no Docker engine answers (${(e as Error).message.split('\n')[0]}); start Docker, or run through: bash scripts/with-env.sh ...`);
  }
}

export async function dockerServerVersion(): Promise<string | null> {
  try {
    const v = (await getContainerRuntimeClient()).info.containerRuntime.serverVersion;
    return v === undefined ? null : String(v);
  } catch {
    return null;
  }
}

export interface ExecResult { exitCode: number; stdout: string; stderr: string }

/** Runs argv in a running container as its configured user (or `user`), never through a shell unless asked. */
export async function execIn(containerId: string, argv: string[], user?: string): Promise<ExecResult> {
  const docker = await dockerode();
  const exec = await docker.getContainer(containerId).exec({
    Cmd: argv, AttachStdout: true, AttachStderr: true, ...(user ? { User: user } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const out = new PassThrough().on('data', (c: Buffer) => stdout.push(c));
  const err = new PassThrough().on('data', (c: Buffer) => stderr.push(c));
  await new Promise<void>((resolve, reject) => {
    docker.modem.demuxStream(stream, out, err);
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}

export async function inspectContainer(containerId: string): Promise<Dockerode.ContainerInspectInfo> {
  return (await dockerode()).getContainer(containerId).inspect();
}

export async function inspectImage(image: string): Promise<Dockerode.ImageInspectInfo | null> {
  try {
    return await (await dockerode()).getImage(image).inspect();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return null;
    throw e;
  }
}

/** Removes containers of this run (runId) or, without runId, leftovers whose owning process is gone. */
export async function removeManagedContainers(runId?: string): Promise<string[]> {
  const docker = await dockerode();
  const filters = { label: [runId ? `${LABEL_RUN}=${runId}` : `${LABEL_MANAGED}=true`] };
  const list = await docker.listContainers({ all: true, filters: JSON.stringify(filters) });
  const removed: string[] = [];
  for (const c of list) {
    if (!runId && ownerAlive(c.Labels[LABEL_OWNER])) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
      removed.push(c.Id.slice(0, 12));
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404 && (e as { statusCode?: number }).statusCode !== 409) throw e;
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

/** The whole log (stdout and stderr) of a container, as text lines. */
export async function containerLog(containerId: string): Promise<string[]> {
  const docker = await dockerode();
  const raw = await docker.getContainer(containerId).logs({ stdout: true, stderr: true, follow: false, timestamps: false });
  const out: string[] = [];
  let off = 0;
  // Non-TTY logs are multiplexed: 8-byte header (stream, 0, 0, 0, size BE32) before each frame.
  while (off + 8 <= raw.length) {
    const size = raw.readUInt32BE(off + 4);
    out.push(raw.subarray(off + 8, off + 8 + size).toString('utf8'));
    off += 8 + size;
  }
  return out.join('').split('\n').filter((l, i, a) => l !== '' || i < a.length - 1);
}
