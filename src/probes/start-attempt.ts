// One start of a copy of the target, observed to its end: ready (then optionally a zero inference
// in the announced shape) or not (its exit code, what /tmp was, the server's lines), then removed.
// The object-store check and the page's example command both judge such starts.
import { grpcFailure, kserveGrpcClient, rpc } from '../protocol/grpc-client.js';
import type { TensorMeta } from '../protocol/rest-client.js';
import type { ContainerAccess } from '../targets/container-access.js';
import { dockerRunLine, type ContainerSpec } from '../docker/container-spec.js';
import { containerLog, docker, type DockerEndpoint } from '../docker/client.js';
import { tmpOfInspect } from '../targets/ready-wait.js';
import { inferZeros } from './zero-inference.js';

export interface StartAttempt {
  tmpfs: boolean;
  command: string;
  loaded: boolean;
  startupMs: number;
  running: boolean;
  exitCode: number | null;
  /** What /tmp was in that container: tmpfs, a volume or bind (with its source), or the read-only root filesystem. */
  tmp: string;
  /** The server's lines about storage, temp folders and model loading, at most 12. */
  lines: string[];
  error: string | null;
  inference: { ok: boolean; line: string } | null;
}

/** The line a reviewer can run (no variable's value is shown). */
export function shownRunLine(spec: ContainerSpec, imageRef: string): string {
  return dockerRunLine(spec, imageRef).join(' ');
}

const RELEVANT = /temp|tmp|download|s3|azure|storage|bucket|Read-only|Permission denied|model manager|loading model|Loaded model|AVAILABLE|No such file|Failed|error/i;

function relevant(log: readonly string[]): string[] {
  return log.filter((l) => RELEVANT.test(l)).slice(-12).map((l) => l.slice(0, 400));
}

async function tmpOf(ep: DockerEndpoint, id: string): Promise<string> {
  return docker(ep).getContainer(id).inspect().then(tmpOfInspect, () => 'unknown (the container is gone)');
}

/** A zero inference in the shape the server announces in its own metadata. */
async function infer(grpcAddress: string, model: string): Promise<{ ok: boolean; line: string }> {
  const client = kserveGrpcClient(grpcAddress);
  try {
    const meta = await rpc.modelMetadata(client, { name: model });
    const tensor = (t: { name: string; datatype: string; shape: (number | string)[] }): TensorMeta => ({ name: t.name, datatype: t.datatype, shape: t.shape.map(Number) });
    const input = meta.inputs?.[0] ? tensor(meta.inputs[0]) : null;
    if (!input) return { ok: false, line: `ModelMetadata of ${model} announces no input` };
    const output = meta.outputs?.[0] ? tensor(meta.outputs[0]) : undefined;
    const r = await inferZeros(client, model, input, output);
    if (r.failure) return { ok: false, line: `ModelInfer -> ${r.failure}` };
    return { ok: r.ok, line: `ModelInfer with zeros of the announced input ${input.name} ${input.datatype}[${input.shape.join(',')}] -> OK, output ${r.output ?? '?'} [${r.shape.join(',')}], ${r.values} values${r.shapeOk ? '' : ` (announced [${output?.shape.join(',')}])`}` };
  } catch (e) {
    const f = grpcFailure(e);
    return { ok: false, line: `ModelMetadata -> ${f.codeName} ${f.details}` };
  } finally {
    client.close();
  }
}

export interface AttemptOptions {
  role: string;
  timeoutMs: number;
  /** Infer on this model once ready; null: readiness only. */
  model: string | null;
  /** The server's lines kept: those about storage and loading, or simply the last ones. */
  lines: 'relevant' | 'tail';
}

/** Starts one copy, observes it to ready or to its end, and removes it. */
export async function attemptStart(c: ContainerAccess, ep: DockerEndpoint, spec: ContainerSpec, o: AttemptOptions): Promise<StartAttempt> {
  const tmpfs = spec.host.Tmpfs['/tmp'] !== undefined;
  const command = shownRunLine(spec, c.ref.image);
  const started = await c.startCopy(spec, o.role, o.timeoutMs);
  const keep = (log: readonly string[]): string[] => (o.lines === 'relevant' ? relevant(log) : log.filter((l) => l.trim()).slice(-12).map((l) => l.slice(0, 400)));
  const model = o.model;
  if (started.ok) {
    const s = started.started;
    try {
      const inference = model === null ? null : s.grpcAddress ? await infer(s.grpcAddress, model) : { ok: false, line: 'the copy has no published gRPC endpoint to infer on' };
      return { tmpfs, command, loaded: true, startupMs: s.startupMs, running: true, exitCode: null, tmp: await tmpOf(ep, s.id), lines: keep(started.log), error: null, inference };
    } finally {
      await s.container.stop({ timeout: 0 }).catch(() => undefined);
    }
  }
  // testcontainers removes a container that never became ready, and the wait kept its last state.
  // A server that exits before its ports show in inspect never reaches the wait: read it here.
  let final = started.final;
  let log = started.log;
  if (!final && started.containerId) {
    const info = await docker(ep).getContainer(started.containerId).inspect().catch(() => null);
    if (info) final = { running: info.State.Running, exitCode: info.State.Running ? null : info.State.ExitCode, tmp: tmpOfInspect(info) };
    if (log.length === 0) log = await containerLog(ep, started.containerId).catch(() => []);
  }
  const running = final?.running ?? false;
  const exitCode = final?.exitCode ?? null;
  const tmp = final?.tmp ?? 'unknown (the container did not start)';
  if (started.containerId) await docker(ep).getContainer(started.containerId).remove({ force: true }).catch(() => undefined);
  return { tmpfs, command, loaded: false, startupMs: started.startupMs, running, exitCode, tmp, lines: keep(log), error: started.error, inference: null };
}

