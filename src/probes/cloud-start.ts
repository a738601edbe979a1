// hardening.cloud-storage-tmp's probe: a copy of the target started read-only with its model path
// in an object store, once with --tmpfs /tmp and once without, each observed to the end: ready or
// not, the server's own lines about the download, and an inference of the shape the server announces.
import { networkInterfaces } from 'node:os';
import { rpc, grpcFailure, kserveGrpcClient } from '../protocol/grpc-client.js';
import { rawToFp32 } from '../protocol/tensor.js';
import type { ContainerAccess } from '../target/container-access.js';
import { dockerRunLine, flagValue, type ContainerSpec } from '../target/container-spec.js';
import { containerLog, docker, type DockerEndpoint } from '../target/docker.js';
import { tmpOfInspect } from '../target/ready-wait.js';
import { shownEnv, type ModelRepository } from '../stores/model-repository.js';
import { zeroInferRequest } from './infer-request.js';

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

const MODEL_FLAGS = ['--model_path', '--model_name', '--config_path'];

/** The target's spec serving `modelName` from `repo`: read-only, the store's variables added, /tmp as asked. */
export function cloudSpec(base: ContainerSpec, repo: ModelRepository, modelName: string, env: Record<string, string>, tmpfs: boolean): ContainerSpec {
  const cmd: string[] = [];
  for (let i = 0; i < base.cmd.length; i++) {
    const a = base.cmd[i]!;
    const flag = MODEL_FLAGS.find((f) => a === f || a.startsWith(`${f}=`));
    if (flag) { if (a === flag) i++; continue; }
    cmd.push(a);
  }
  const names = new Set(Object.keys(env));
  const Tmpfs = { ...base.host.Tmpfs };
  if (tmpfs) Tmpfs['/tmp'] = Tmpfs['/tmp'] ?? 'rw,nosuid,nodev';
  else delete Tmpfs['/tmp'];
  return {
    ...base,
    cmd: ['--model_path', repo.url, '--model_name', modelName, ...cmd],
    env: [...base.env.filter((e) => !names.has(e.slice(0, e.indexOf('=')))), ...Object.entries(env).map(([k, v]) => `${k}=${v}`)],
    host: { ...base.host, ReadonlyRootfs: true, Tmpfs },
  };
}

/** The line a reviewer can run, credentials masked. */
export function shownRunLine(spec: ContainerSpec, imageRef: string): string {
  return dockerRunLine({ ...spec, env: shownEnv(spec.env) }, imageRef).join(' ');
}

const RELEVANT = /temp|tmp|download|s3|azure|storage|bucket|Read-only|Permission denied|model manager|loading model|Loaded model|AVAILABLE|No such file|Failed|error/i;

function relevant(log: readonly string[]): string[] {
  return log.filter((l) => RELEVANT.test(l)).slice(-12).map((l) => l.slice(0, 400));
}

async function tmpOf(ep: DockerEndpoint, id: string): Promise<string> {
  return docker(ep).getContainer(id).inspect().then(tmpOfInspect, () => 'unknown (the container is gone)');
}

async function infer(grpcAddress: string, model: string): Promise<{ ok: boolean; line: string }> {
  const client = kserveGrpcClient(grpcAddress);
  try {
    const meta = await rpc.modelMetadata(client, { name: model });
    const input = meta.inputs?.[0];
    if (!input) return { ok: false, line: `ModelMetadata of ${model} announces no input` };
    const tensor = { name: input.name, datatype: input.datatype, shape: input.shape.map(Number) };
    const res = await rpc.modelInfer(client, zeroInferRequest(model, tensor), 30_000);
    const out = res.outputs[0];
    const values = res.raw_output_contents[0] ? rawToFp32(res.raw_output_contents[0]) : new Float32Array();
    const wanted = meta.outputs?.[0]?.shape.map(Number);
    const shapeOk = !!out && (!wanted || wanted.every((d, i) => d < 0 || Number(out.shape[i]) === d));
    const ok = shapeOk && values.length > 0;
    return { ok, line: `ModelInfer with zeros of the announced input ${tensor.name} ${tensor.datatype}[${tensor.shape.join(',')}] -> OK, output ${out?.name ?? '?'} [${out?.shape.join(',') ?? ''}], ${values.length} values${shapeOk ? '' : ` (announced [${wanted?.join(',')}])`}` };
  } catch (e) {
    const f = grpcFailure(e);
    return { ok: false, line: `ModelInfer -> ${f.codeName} ${f.details}` };
  } finally {
    client.close();
  }
}

/** Starts one copy, observes it to ready or to its end, and removes it. */
export interface AttemptOptions {
  role: string;
  timeoutMs: number;
  /** Infer on this model once ready; null: readiness only. */
  model: string | null;
  /** The server's lines kept: those about storage and loading, or simply the last ones. */
  lines: 'relevant' | 'tail';
}

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

/**
 * The address of this machine on the Docker bridge network: where an emulator listens so that the
 * server container reaches it and nothing outside this host does. null when the engine's bridge is
 * not on this machine (a remote engine).
 */
export async function bridgeAddress(ep: DockerEndpoint): Promise<string | null> {
  const net = await docker(ep).getNetwork('bridge').inspect().catch(() => null) as { IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] } } | null;
  const cfg = net?.IPAM?.Config?.find((x) => x.Subnet && !x.Subnet.includes(':'));
  if (!cfg?.Subnet) return null;
  const [base, bits] = cfg.Subnet.split('/');
  const toInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  const inSubnet = (ip: string): boolean => ((toInt(ip) & mask) >>> 0) === ((toInt(base!) & mask) >>> 0);
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && inSubnet(a.address) && (!cfg.Gateway || a.address === cfg.Gateway)) return a.address;
  }
  return null;
}

/** The model path the target serves, for the evidence. */
export const servedPath = (spec: ContainerSpec): string | null => flagValue(spec.cmd, '--model_path') ?? null;
