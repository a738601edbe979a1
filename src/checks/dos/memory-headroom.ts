// dos.memory-headroom: the container's memory limit leaves room for what OVMS may hold at once
// under load: the gRPC memory quota, one message of the largest accepted size (gRPC core buffers a
// whole message before its size check, grpc-core-behaviour section 1) and the model. A limit
// below that lets a flood get the container OOM-killed before the quota cuts anything; no limit
// at all bounds the server only by the host (a `warn`).
import type { CheckContext } from '../../check-kit/context.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { DEFAULT_GRPC_MEMORY_QUOTA } from '../../ovms/server-settings.js';
import { pass, violated, warn, type Evidence, type Judgement } from '../../check-kit/verdict.js';
import { flagValue } from '../../docker/container-spec.js';
import { mib } from './common.js';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const GiB = 1024 ** 3;
/** OVMS's largest accepted message on gRPC and REST (ovms-facts 1). */
export const MAX_MESSAGE = GiB;

export interface HeadroomObs { limitBytes: number | null; limitText: string | null; quota: number; quotaHow: string; messageBytes: number; modelBytes: number | null }

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: GiB, Ti: 1024 ** 4, m: 1e-3 };

/** A Kubernetes quantity (512Mi, 2G, 1e9, 2147483648) in bytes; null when it is none of those. */
export function quantityBytes(q: string): number | null {
  const m = /^([0-9.]+(?:e[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(q.trim());
  return m ? Math.round(Number(m[1]) * UNITS[m[2] ?? '']!) : null;
}

export function headroomOf(args: readonly string[], limitText: string | null, modelBytes: number | null, limitBytes?: number | null): HeadroomObs {
  const q = flagValue(args, '--grpc_memory_quota');
  const quota = q === undefined ? DEFAULT_GRPC_MEMORY_QUOTA : Number(q);
  return {
    limitBytes: limitBytes !== undefined ? limitBytes : limitText === null ? null : quantityBytes(limitText), limitText,
    quota, quotaHow: q === undefined ? "OVMS's default 2 GiB" : quota === 0 ? 'unset (0): no quota' : 'configured',
    messageBytes: MAX_MESSAGE, modelBytes,
  };
}

export function judgeHeadroom(o: HeadroomObs): Judgement {
  const need = o.quota + o.messageBytes + (o.modelBytes ?? 0);
  const items = [
    `memory limit: ${o.limitText ?? (o.limitBytes === null ? 'none' : `${o.limitBytes} bytes`)}${o.limitBytes !== null ? ` = ${mib(o.limitBytes)}` : ''}`,
    `needed at most at once: gRPC quota ${mib(o.quota)} (${o.quotaHow}) + the largest accepted message ${mib(o.messageBytes)} + the model ${o.modelBytes === null ? 'size not known (not counted)' : mib(o.modelBytes)} = ${mib(need)}`,
  ];
  const evidence: Evidence = { items, observed: { limitBytes: o.limitBytes, quotaBytes: o.quota, modelBytes: o.modelBytes }, expected: { limitBytesAtLeast: need } };
  if (o.limitText !== null && o.limitBytes === null) return warn(`inconclusive: the memory limit "${o.limitText}" is not a quantity this harness reads`, evidence);
  if (o.limitBytes === null || o.limitBytes === 0) return warn(`no memory limit: under a flood the server is bounded only by the host's memory (it needs up to ${mib(need)})`, evidence);
  if (o.quota === 0) return violated(`no gRPC memory quota (0): no limit of ${mib(o.limitBytes)} leaves headroom for what a flood can make the server hold`, evidence);
  if (o.limitBytes < need) return violated(`the memory limit ${mib(o.limitBytes)} is below the quota + the largest message + the model (${mib(need)}): a flood can get the container OOM-killed before the quota cuts`, evidence);
  return pass(`the memory limit ${mib(o.limitBytes)} leaves room for the quota, the largest message and the model (${mib(need)})`, evidence);
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? folderBytes(join(dir, e.name)) : e.isFile() ? statSync(join(dir, e.name)).size : 0;
  return n;
}

export default defineCheck({
  id: 'dos.memory-headroom',
  title: "the container's memory limit leaves room for the gRPC quota, the largest accepted message and the model",
  clause: 'S3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'set the memory limit above grpc_memory_quota + 1 GiB + the model size, or lower --grpc_memory_quota',
  impact: 'the container reserves more memory',
  // A limit of the container and the command line: judged whether or not the server still runs.
  needs: ['container', 'command'], live: false,
  async observe(ctx: CheckContext) {
    const info = await ctx.target.container().inspect();
    const dir = ctx.run.target.modelsHostDir;
    let model: number | null = null;
    try { if (dir) model = folderBytes(join(dir, ctx.run.options.modelName)); } catch { model = null; }
    const mem = info.HostConfig.Memory ?? 0;
    return headroomOf(ctx.run.target.command!.serverArgs, null, model, mem > 0 ? mem : null);
  },
  judge: judgeHeadroom,
});
