// What the message-limit checks share: the probes' wording in the evidence, the inference path and
// the served input, and one gRPC message probe followed by a liveness check.
import { clip } from '../../clip.js';
import type { CheckContext } from '../../check-kit/context.js';
import { type GrpcSendResult, sendGrpcMessage } from '../../probes/oversize-grpc.js';
import type { RestSendResult } from '../../probes/oversize-rest.js';
import { concreteShape, sizedInferRequest } from '../../probes/payload.js';
import { liveAfterProbe } from '../../probes/after-probe.js';
import { servedInterface } from '../../probes/served-model.js';
import { MODEL_INFER } from '../../protocol/codec.js';

export const RESOURCE_EXHAUSTED = 8;
export const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

export function grpcLines(r: GrpcSendResult): string[] {
  return [
    `sent ${r.bytesSent} of ${r.announced} message bytes (5-byte gRPC prefix announcing ${r.announced}) in ${r.durationMs} ms`,
    `answer ${r.answerAfterMs ?? '-'} ms after the first byte, ${r.answerAfterLastByteMs ?? '-'} ms after the last byte sent`,
    `grpc-status ${r.grpcStatus ?? 'none'} "${r.grpcMessage}"${r.rstCode !== null ? `; RST_STREAM code ${r.rstCode}` : ''}${r.error ? `; stream error ${r.error}` : ''}`,
  ];
}

export function restLines(r: RestSendResult): string[] {
  return [
    `declared Content-Length ${r.declared}; body bytes sent ${r.bytesSent}${r.continueReceived ? ' (after 100 Continue)' : ''} in ${r.durationMs} ms`,
    r.status !== null ? `answer HTTP ${r.status} after ${r.answerAfterMs} ms, Connection: ${String(r.headers['connection'] ?? '-')}${r.body ? `, body ${JSON.stringify(clip(r.body, 200))}` : ', no body'}` : `no HTTP status read; connection ${r.connectionError ?? 'closed'}${r.closedBeforeBodyDone ? ` before the body was complete (${r.bytesSent} of ${r.declared} bytes)` : ''}`,
  ];
}

export const PROBE_TIMEOUT_MS = 600_000;

export const served = async (ctx: CheckContext) => (await servedInterface(ctx.target, ctx.run.options.modelName)).input;
export const inferPath = (ctx: CheckContext): string => `/v2/models/${encodeURIComponent(ctx.run.options.modelName)}/infer`;

/** A KServe binary-extension JSON header whose binary_data_size covers the rest of a `total`-byte body. */
export function binaryHeader(input: { name: string; datatype: string; shape: number[] }, total: number): Buffer {
  let size = total;
  for (;;) {
    const head = Buffer.from(JSON.stringify({ inputs: [{ name: input.name, datatype: input.datatype, shape: concreteShape(input.shape), parameters: { binary_data_size: size } }] }));
    if (head.length + size === total) return head;
    size = total - head.length;
  }
}

/** One ModelInferRequest of exactly `bytes` serialized bytes, then whether the server is live. */
export async function grpcMessageProbe(ctx: CheckContext, bytes: number) {
  const limit = ctx.run.options.messageLimit;
  const msg = sizedInferRequest(bytes, ctx.run.options.modelName, await served(ctx));
  const sent = await sendGrpcMessage(ctx.target.grpcEndpoint(), MODEL_INFER, msg, PROBE_TIMEOUT_MS);
  return { limit, describe: msg.describe, sent, alive: await liveAfterProbe(ctx.target) };
}
