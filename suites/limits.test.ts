// S3: REST and gRPC messages over the limit (1 GiB) are rejected, and the server stays live.
// Payloads are streamed from one reused buffer: the harness never holds a message in memory.
import { describe } from 'vitest';
import { defineCheck, type CheckContext } from '../src/checks/define-check.js';
import { judgeGrpcAtLimit, judgeGrpcBuffering, judgeGrpcOversize, judgeRestAtLimit, judgeRestOversize } from '../src/judge/limits.js';
import { liveAfterProbe } from '../src/probes/after-probe.js';
import { sendGrpcMessage } from '../src/probes/oversize-grpc.js';
import { sendRestBody } from '../src/probes/oversize-rest.js';
import { concreteShape, sizedInferRequest } from '../src/probes/payload.js';
import { servedInterface } from '../src/probes/served-model.js';

const MODEL_INFER = '/inference.GRPCInferenceService/ModelInfer';
const PROBE_TIMEOUT_MS = 600_000;

const served = async (ctx: CheckContext) => (await servedInterface(ctx.target, ctx.run.options.modelName)).input;
const inferPath = (ctx: CheckContext): string => `/v2/models/${encodeURIComponent(ctx.run.options.modelName)}/infer`;

/** A KServe binary-extension JSON header whose binary_data_size covers the rest of a `total`-byte body. */
function binaryHeader(input: { name: string; datatype: string; shape: number[] }, total: number): Buffer {
  let size = total;
  for (;;) {
    const head = Buffer.from(JSON.stringify({ inputs: [{ name: input.name, datatype: input.datatype, shape: concreteShape(input.shape), parameters: { binary_data_size: size } }] }));
    if (head.length + size === total) return head;
    size = total - head.length;
  }
}

/** One ModelInferRequest of exactly `bytes` serialized bytes, then whether the server is live. */
async function grpcMessageProbe(ctx: CheckContext, bytes: number) {
  const limit = ctx.run.options.messageLimit;
  const msg = sizedInferRequest(bytes, ctx.run.options.modelName, await served(ctx));
  const sent = await sendGrpcMessage(ctx.target.grpcEndpoint(), MODEL_INFER, msg, PROBE_TIMEOUT_MS);
  return { limit, describe: msg.describe, sent, alive: await liveAfterProbe(ctx.target) };
}

describe('limits', () => {
  // First in the suite: the server's memory is measured before other big messages have grown its heap.
  defineCheck('limits.grpc-buffering', {
    needs: ['grpc', 'container'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
    async observe(ctx) {
      const limit = ctx.run.options.messageLimit;
      const msg = sizedInferRequest(limit + 1, ctx.run.options.modelName, await served(ctx));
      const stats = ctx.target.container().sampler();
      await stats.start();
      await stats.firstSample();
      // Docker samples stats about once a second: hold the last byte until two samples have seen the
      // server with the whole message but one byte (at most 10 s), so a fast transfer is measured too.
      const hold = async (): Promise<void> => {
        const until = Date.now() + 10_000;
        const seen = stats.sampleCount();
        while (stats.sampleCount() < seen + 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      };
      const sent = await sendGrpcMessage(ctx.target.grpcEndpoint(), MODEL_INFER, msg, PROBE_TIMEOUT_MS, hold);
      return { limit, sent, mem: stats.stop() };
    },
    judge: judgeGrpcBuffering,
  });

  defineCheck('limits.grpc-oversize', {
    needs: ['grpc'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
    observe: (ctx) => grpcMessageProbe(ctx, ctx.run.options.messageLimit + 1),
    judge: judgeGrpcOversize,
  });

  defineCheck('limits.rest-oversize', {
    needs: ['rest'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
    async observe(ctx) {
      const limit = ctx.run.options.messageLimit;
      const headerProbe = ctx.run.options.profile === 'quick';
      const sent = await sendRestBody({ endpoint: ctx.target.restEndpoint(), path: inferPath(ctx), declared: limit + 1, expectContinue: headerProbe, timeoutMs: PROBE_TIMEOUT_MS });
      return { limit, headerProbe, sent, alive: await liveAfterProbe(ctx.target) };
    },
    judge: judgeRestOversize,
  });

  defineCheck('limits.grpc-at-limit', {
    needs: ['grpc'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
    observe: (ctx) => grpcMessageProbe(ctx, ctx.run.options.messageLimit),
    judge: judgeGrpcAtLimit,
  });

  defineCheck('limits.rest-at-limit', {
    needs: ['rest'], timeoutMs: PROBE_TIMEOUT_MS + 60_000,
    async observe(ctx) {
      const limit = ctx.run.options.messageLimit;
      const head = binaryHeader(await served(ctx), limit);
      const sent = await sendRestBody({
        endpoint: ctx.target.restEndpoint(), path: inferPath(ctx), declared: limit, head,
        headers: { 'inference-header-content-length': String(head.length) }, timeoutMs: PROBE_TIMEOUT_MS,
      });
      return { limit, headLength: head.length, sent, alive: await liveAfterProbe(ctx.target) };
    },
    judge: judgeRestAtLimit,
  });
});
