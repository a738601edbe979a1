// Readiness over whichever endpoint the deployment has: REST GET /v2/health/ready when there is
// a REST endpoint, else gRPC ServerReady. The wait strategy stops as soon as the container exits
// (a start failure is reported at once, with its exit code, not after the timeout).
import type Dockerode from 'dockerode';
import type { BoundPorts, WaitStrategy } from 'testcontainers';
import { grpcFailure, kserveGrpcClientFor, rpc } from '../protocol/grpc-client.js';
import { connectionProblem } from '../protocol/connect.js';
import { KServeRestClient } from '../protocol/rest-client.js';
import { plaintext, type Endpoints } from '../protocol/endpoint.js';
import { advertisedStreamLimit } from '../protocol/stream-settings.js';

const POLL_MS = 200;

export interface ReadinessPorts { rest: number | null; grpc: number | null }

export function readinessWord(e: { rest: unknown; grpc: unknown }): string {
  return e.rest !== null ? 'REST GET /v2/health/ready' : 'gRPC ServerReady';
}

/** One readiness question: ready, or what was seen instead. */
export interface ReadyAnswer { ready: boolean; answered: boolean; detail: string; how: string }

/** A gRPC status that comes from the transport, not from a server that answered. */
const NO_ANSWER = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);

export async function askReadyAt(e: Endpoints, timeoutMs: number): Promise<ReadyAnswer> {
  const how = readinessWord(e);
  if (e.rest) {
    const c = KServeRestClient.for(e.rest, Math.max(1, timeoutMs));
    try {
      const a = await c.ready();
      return { ready: a.status === 200, answered: true, detail: `HTTP ${a.status}`, how };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string }; code?: string }).cause;
      const raw = [cause?.code, cause?.message, (err as { code?: string }).code, (err as Error).message].filter(Boolean).join(' ');
      return { ready: false, answered: false, detail: connectionProblem(raw), how };
    } finally {
      await c.close();
    }
  }
  if (!e.grpc) return { ready: false, answered: false, detail: 'neither a REST nor a gRPC endpoint', how };
  const client = kserveGrpcClientFor(e.grpc, { ownConnection: true });
  try {
    const r = await rpc.serverReady(client, Math.max(1, timeoutMs));
    return { ready: r.ready, answered: true, detail: `ServerReady ready=${r.ready}`, how };
  } catch (err) {
    const f = grpcFailure(err);
    const answered = !NO_ANSWER.has(f.codeName);
    if (!answered && f.codeName === 'DEADLINE_EXCEEDED') {
      // A server that took the connection but allows no stream (grpc.max_concurrent_streams=0) is there, and can never answer a call.
      const limit = await advertisedStreamLimit(e.grpc, 2000).catch(() => null);
      if (limit === 0) return { ready: false, answered: true, detail: 'the server advertises SETTINGS_MAX_CONCURRENT_STREAMS 0: no gRPC call can start (see dos.channel-args)', how };
    }
    return { ready: false, answered, detail: answered ? `${f.codeName} ${f.details}` : connectionProblem(`${f.codeName} ${f.details}`), how };
  } finally {
    client.close();
  }
}


/** The container as the wait left it, kept because testcontainers removes a container that never became ready. */
export interface FinalState { running: boolean; exitCode: number | null; tmp: string }

/** What /tmp is in a container: a tmpfs, a mount (with its source), or part of the root filesystem. */
export function tmpOfInspect(info: Dockerode.ContainerInspectInfo): string {
  const tmpfs = (info.HostConfig.Tmpfs ?? {})['/tmp'];
  if (tmpfs !== undefined) return `tmpfs (${tmpfs || 'rw'})`;
  const m = (info.Mounts ?? []).find((x) => x.Destination === '/tmp');
  if (m) return `${m.Type} ${m.Name ?? m.Source}${m.RW ? ' (rw)' : ' (ro)'}`;
  return info.HostConfig.ReadonlyRootfs ? 'part of the read-only root filesystem' : 'part of the writable root filesystem';
}

export class ReadyWait implements WaitStrategy {
  private timeoutMs = 180_000;
  private timeoutSet = false;
  final: FinalState | null = null;

  constructor(private readonly ports: ReadinessPorts, private readonly host: string) {}

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean { return this.timeoutSet; }
  getStartupTimeout(): number { return this.timeoutMs; }

  async waitUntilReady(container: Dockerode.Container, boundPorts: BoundPorts): Promise<void> {
    const e: Endpoints = {
      rest: this.ports.rest === null ? null : plaintext(`http://${this.host}:${boundPorts.getBinding(this.ports.rest)}`),
      grpc: this.ports.grpc === null ? null : plaintext(`${this.host}:${boundPorts.getBinding(this.ports.grpc)}`),
    };
    if (!e.rest && !e.grpc) throw new Error('the server publishes neither a REST nor a gRPC port (--rest_port/--port among its arguments and published)');
    const deadline = Date.now() + this.timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      const info = await container.inspect();
      const state = info.State;
      if (!state.Running) {
        this.final = { running: false, exitCode: state.ExitCode, tmp: tmpOfInspect(info) };
        throw new Error(`the server exited (code ${state.ExitCode}) before ${readinessWord(e)} answered ready (last: ${last})`);
      }
      const seen = await askReadyAt(e, Math.min(5000, deadline - Date.now()));
      if (seen.ready) return;
      last = seen.detail;
      if (Date.now() >= deadline) {
        this.final = { running: true, exitCode: null, tmp: tmpOfInspect(info) };
        throw new Error(`${readinessWord(e)} did not answer ready within ${this.timeoutMs / 1000} s (last: ${last})`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
