// Container access, the first capability a target can offer: inspect, the server process's
// status and mount table, files and write attempts (all through the probe agent, so nothing is
// needed inside the image), the image's own files (read from a never-started copy), Docker stats,
// logs, the end state, and starting a copy of the container with one change.
import type Dockerode from 'dockerode';
import { posix } from 'node:path';
import { extract } from 'tar-stream';
import type { Readable } from 'node:stream';
import { ContainerSampler, endState, stoppedState, type EndState } from '../docker/container-stats.js';
import { copyOf, type ContainerSpec } from '../docker/container-spec.js';
import type { ContainerRef } from './target-description.js';
import { containerLog, docker, runToCompletion, type DockerEndpoint } from '../docker/client.js';
import { runLabels } from '../docker/labels.js';
import type { AgentReply, AgentRequest } from '../docker/probe-agent.js';
import { startServer } from './server-container.js';
import { type StartOutcome } from './server-start.js';

/** How the server process is recognised: OVMS's executable, or the stand-in's script. */
export const SERVER_PROCESS = { executables: ['ovms'], scripts: ['/stand-in/server.mjs'] };

export interface AccessContext { docker: DockerEndpoint; probeImage: string; runId: string; owner: string; startupTimeoutMs: number }

export interface SurveyRequest { writes?: string[]; stat?: string[]; read?: string[] }

export class ContainerAccess {
  constructor(readonly ref: ContainerRef, private readonly ctx: AccessContext) {}

  private get handle(): Dockerode.Container { return docker(this.ctx.docker).getContainer(this.ref.id); }

  inspect(): Promise<Dockerode.ContainerInspectInfo> { return this.handle.inspect(); }

  /** The image that runs, by id (a tag may have moved since the container started). */
  image(): Promise<Dockerode.ImageInspectInfo> { return docker(this.ctx.docker).getImage(this.ref.imageId).inspect(); }

  /**
   * Runs the probe agent in a helper container joined to this container's PID namespace: root with
   * just the capabilities to read another user's /proc entries and drop to the server's ids.
   */
  async survey(req: SurveyRequest = {}): Promise<AgentReply> {
    const request: AgentRequest = { containerId: this.ref.id, ...SERVER_PROCESS, writes: req.writes ?? [], stat: req.stat ?? [], read: req.read ?? [] };
    const r = await runToCompletion(this.ctx.docker, {
      Image: this.ctx.probeImage,
      Cmd: [JSON.stringify(request)],
      User: '0:0',
      Labels: runLabels(this.ctx, 'probe'),
      HostConfig: {
        PidMode: `container:${this.ref.id}`,
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        CapAdd: ['SYS_PTRACE', 'DAC_READ_SEARCH', 'SETUID', 'SETGID'],
        SecurityOpt: ['no-new-privileges'],
      },
    }, 60_000);
    try {
      return JSON.parse(r.stdout) as AgentReply;
    } catch {
      throw new Error(`the probe helper gave no answer (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`);
    }
  }

  /** A file of the image itself (e.g. /etc/passwd), read from a copy that is created but never started. */
  async imageFile(path: string): Promise<string | null> {
    const d = docker(this.ctx.docker);
    const c = await d.createContainer({ Image: this.ref.imageId, Entrypoint: ['/ovms-validate-never-started'], Labels: runLabels(this.ctx, 'image-file'), NetworkDisabled: true });
    try {
      let p = path;
      for (let hop = 0; hop < 4; hop++) {
        const entry = await readArchiveEntry(c, p);
        if (entry === null) return null;
        if (entry.link === null) return entry.text;
        p = posix.resolve(posix.dirname(p), entry.link);
      }
      return null;
    } finally {
      await c.remove({ force: true }).catch(() => undefined);
    }
  }

  sampler(): ContainerSampler { return new ContainerSampler(this.handle); }
  endState(): Promise<EndState> { return endState(this.handle); }
  stoppedState(timeoutMs?: number): Promise<EndState> { return stoppedState(this.handle, timeoutMs); }
  logs(): Promise<string[]> { return containerLog(this.ctx.docker, this.ref.id); }

  /** A copy of this container (same image id) with `spec`, started and waited for. */
  startCopy(spec: ContainerSpec, role: string, timeoutMs = this.ctx.startupTimeoutMs): Promise<StartOutcome> {
    return startServer(copyOf({ ...spec, image: this.ref.imageId }), runLabels(this.ctx, role), timeoutMs);
  }

  /** Access to a copy started with startCopy. */
  forCopy(id: string, spec: ContainerSpec): ContainerAccess {
    return new ContainerAccess({ ...this.ref, id, name: id.slice(0, 12), startedBy: 'harness', spec }, this.ctx);
  }
}

async function readArchiveEntry(c: Dockerode.Container, path: string): Promise<{ text: string; link: string | null } | null> {
  let stream: Readable;
  try {
    stream = (await c.getArchive({ path })) as unknown as Readable;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return null;
    throw e;
  }
  return new Promise((resolve, reject) => {
    const x = extract();
    let found: { text: string; link: string | null } | null = null;
    x.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (b: unknown) => { chunks.push(b as Buffer); });
      body.on('end', () => {
        found ??= header.type === 'symlink' ? { text: '', link: header.linkname ?? '' } : { text: Buffer.concat(chunks).toString('utf8'), link: null };
        next();
      });
      body.resume();
    });
    x.on('finish', () => resolve(found));
    x.on('error', reject);
    stream.pipe(x);
  });
}
