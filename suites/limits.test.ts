// S3: REST and gRPC messages over the limit (1 GiB) are rejected, and the server stays live.
// Payloads are streamed from one reused buffer: the harness never holds a message in memory.
import { describe } from 'vitest';
import { defineCheck } from '../src/checks/define-check.js';
import { suiteClients } from '../src/checks/suite-clients.js';
import { error, fail, pass, warn } from '../src/checks/verdict.js';
import { ContainerSampler } from '../src/probes/container-stats.js';
import { liveAfterProbe } from '../src/probes/after-probe.js';
import { parseLargerThanMax, sendGrpcMessage, type GrpcSendResult } from '../src/probes/oversize-grpc.js';
import { sendRestBody, type RestSendResult } from '../src/probes/oversize-rest.js';
import { sizedInferRequest } from '../src/probes/payload.js';

const MODEL_INFER = '/inference.GRPCInferenceService/ModelInfer';
const RESOURCE_EXHAUSTED = 8;
const PROBE_TIMEOUT_MS = 600_000;
const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

const { get, servedInput } = suiteClients();

function grpcLines(r: GrpcSendResult): string[] {
  return [
    `sent ${r.bytesSent} of ${r.announced} message bytes (5-byte gRPC prefix announcing ${r.announced}) in ${r.durationMs} ms`,
    `answer ${r.answerAfterMs ?? '-'} ms after the first byte, ${r.answerAfterLastByteMs ?? '-'} ms after the last byte sent`,
    `grpc-status ${r.grpcStatus ?? 'none'} "${r.grpcMessage}"${r.rstCode !== null ? `; RST_STREAM code ${r.rstCode}` : ''}${r.error ? `; stream error ${r.error}` : ''}`,
  ];
}

function restLines(r: RestSendResult): string[] {
  return [
    `declared Content-Length ${r.declared}; body bytes sent ${r.bytesSent}${r.continueReceived ? ' (after 100 Continue)' : ''} in ${r.durationMs} ms`,
    r.status !== null ? `answer HTTP ${r.status} after ${r.answerAfterMs} ms, Connection: ${String(r.headers['connection'] ?? '-')}${r.body ? `, body ${JSON.stringify(r.body.slice(0, 200))}` : ', no body'}` : `no HTTP status read; connection ${r.connectionError ?? 'closed'}${r.closedBeforeBodyDone ? ` before the body was complete (${r.bytesSent} of ${r.declared} bytes)` : ''}`,
  ];
}

/** A KServe binary-extension JSON header whose binary_data_size covers the rest of a `total`-byte body. */
function binaryHeader(input: { name: string; datatype: string; shape: number[] }, total: number): Buffer {
  let size = total;
  for (;;) {
    const head = Buffer.from(JSON.stringify({ inputs: [{ name: input.name, datatype: input.datatype, shape: input.shape, parameters: { binary_data_size: size } }] }));
    if (head.length + size === total) return head;
    size = total - head.length;
  }
}

describe('limits', () => {
  // First in the suite: the server's memory is measured before other big messages have grown its heap.
  defineCheck('limits.grpc-buffering', async ({ run }) => {
    const limit = run.options.messageLimit;
    const msg = sizedInferRequest(limit + 1, run.options.modelName, await servedInput());
    const stats = new ContainerSampler(run.target.containerId!);
    await stats.start();
    await stats.firstSample();
    // Docker samples stats about once a second: hold the last byte until two samples have seen the
    // server with the whole message but one byte (at most 10 s), so a fast transfer is measured too.
    const hold = async (): Promise<void> => {
      const until = Date.now() + 10_000;
      const seen = stats.sampleCount();
      while (stats.sampleCount() < seen + 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    };
    const r = await sendGrpcMessage(run.target.grpcAddress!, MODEL_INFER, msg, PROBE_TIMEOUT_MS, hold);
    const mem = stats.stop();
    const growth = mem.memoryPeakBytes !== null && mem.memoryBaselineBytes !== null ? mem.memoryPeakBytes - mem.memoryBaselineBytes : null;
    const items = [
      `probe: ${limit + 1}-byte message (limit + 1), the last byte held until the stats had seen the rest`,
      ...grpcLines(r),
      `container memory (working set, Docker stats, ${mem.samples} samples): ${mib(mem.memoryBaselineBytes ?? 0)} before, peak ${mib(mem.memoryPeakBytes ?? 0)}, growth ${growth === null ? '-' : mib(growth)} for a ${mib(limit + 1)} message`,
      'gRPC core buffers the whole announced message before its size check (grpc-core-behaviour section 1); only --grpc_memory_quota bounds how much several such messages hold',
    ];
    const evidence = { items, observed: { growthBytes: growth, peakBytes: mem.memoryPeakBytes, samples: mem.samples, bytesSent: r.bytesSent, grpcStatus: r.grpcStatus }, expected: { growthBytes: 'well under the message size' } };
    if (growth === null || mem.samples < 2) return error(`container memory could not be sampled (${mem.samples} samples)`, evidence);
    if (growth >= 0.1 * (limit + 1)) return warn(`the server held ${mib(growth)} while receiving a ${mib(limit + 1)} message it then refused: it buffers oversized messages`, evidence);
    return pass(`the server's memory grew by ${mib(growth)} while receiving a ${mib(limit + 1)} message`, evidence);
  }, { needsReadyServer: true, timeoutMs: PROBE_TIMEOUT_MS + 60_000 });

  defineCheck('limits.grpc-oversize', async ({ run }) => {
    const limit = run.options.messageLimit;
    const msg = sizedInferRequest(limit + 1, run.options.modelName, await servedInput());
    const r = await sendGrpcMessage(run.target.grpcAddress!, MODEL_INFER, msg, PROBE_TIMEOUT_MS);
    const parsed = parseLargerThanMax(r.grpcMessage);
    const alive = await liveAfterProbe(get());
    const items = [
      `probe: ${msg.describe}, serialized size ${limit + 1} = limit ${limit} + 1, over raw HTTP/2 from a reused 1 MiB buffer`,
      'the whole message is sent in every profile: gRPC core answers only once the announced message has fully arrived, so a prefix-only probe proves nothing (grpc-core-behaviour section 1)',
      ...grpcLines(r),
      parsed ? `server reports size ${parsed.size} vs. limit ${parsed.limit}` : 'no "Received message larger than max (N vs. L)" in the answer',
      `afterwards: ${alive.items.join('; ')}`,
    ];
    const evidence = {
      items,
      observed: { bytesSent: r.bytesSent, grpcStatus: r.grpcStatus, grpcMessage: r.grpcMessage, reportedSize: parsed?.size ?? null, reportedLimit: parsed?.limit ?? null, answerAfterLastByteMs: r.answerAfterLastByteMs, liveAfterwards: alive.live },
      expected: { grpcStatus: RESOURCE_EXHAUSTED, reportedSize: limit + 1, reportedLimit: limit, liveAfterwards: true },
    };
    if (r.grpcStatus === null && !alive.live) return fail(`the server died on a ${limit + 1}-byte message: no gRPC answer (${r.error ?? 'stream closed'}) and not live afterwards`, evidence);
    if (r.grpcStatus !== RESOURCE_EXHAUSTED || !parsed) {
      return fail(`a ${limit + 1}-byte message was not refused for its size: ${r.grpcStatus === null ? `no gRPC status (${r.error ?? 'stream closed'})` : `grpc-status ${r.grpcStatus} "${r.grpcMessage.slice(0, 120)}"`}`, evidence);
    }
    if (parsed.limit !== limit) return fail(`the server's limit is ${parsed.limit} bytes, not the expected ${limit}`, evidence);
    if (parsed.size !== limit + 1) return fail(`the server counted ${parsed.size} bytes, not the ${limit + 1} sent`, evidence);
    if (!alive.live) return fail('refused with RESOURCE_EXHAUSTED, but the server is not live afterwards', evidence);
    return pass(`RESOURCE_EXHAUSTED "Received message larger than max (${parsed.size} vs. ${parsed.limit})" after ${mib(r.bytesSent)}; live afterwards`, evidence);
  }, { needsReadyServer: true, timeoutMs: PROBE_TIMEOUT_MS + 60_000 });

  defineCheck('limits.rest-oversize', async ({ run }) => {
    const limit = run.options.messageLimit;
    const headerProbe = run.options.profile === 'quick';
    const r = await sendRestBody({ url: `${run.target.restUrl}/v2/models/${encodeURIComponent(run.options.modelName)}/infer`, declared: limit + 1, expectContinue: headerProbe, timeoutMs: PROBE_TIMEOUT_MS });
    const alive = await liveAfterProbe(get());
    // A reset with no answer after the last byte was handed to the socket is a refusal too: the
    // bytes sat in kernel buffers and the server closed the connection on them (its 413 may be lost
    // in the reset). A server that took the body would have answered.
    const resetUnanswered = r.status === null && !r.closedBeforeBodyDone && (r.connectionError === 'ECONNRESET' || r.connectionError === 'EPIPE');
    const refused = r.status === 413 || (r.status === null && r.closedBeforeBodyDone) || resetUnanswered;
    const items = [
      headerProbe
        ? `quick: header-first probe, POST with Content-Length ${limit + 1} and Expect: 100-continue; the body is sent only if the server asks for it`
        : `nightly: POST with Content-Length ${limit + 1}, the full body streamed from a reused 1 MiB buffer`,
      ...restLines(r),
      ...(resetUnanswered ? [`the server reset the connection without an answer after all ${r.bytesSent} bytes were written to the socket: counted as refused (written is not read)`] : []),
      `afterwards: ${alive.items.join('; ')}`,
    ];
    const evidence = {
      items,
      observed: { status: r.status, bytesSent: r.bytesSent, closedBeforeBodyDone: r.closedBeforeBodyDone, continueReceived: r.continueReceived, liveAfterwards: alive.live },
      expected: { status: '413, or the connection closed before the body is accepted', liveAfterwards: true },
    };
    if (!refused) return fail(`a body of ${limit + 1} bytes was not refused: ${r.status !== null ? `HTTP ${r.status}` : r.connectionError ?? 'no answer'} after ${r.bytesSent} body bytes`, evidence);
    if (!alive.live) return fail('the oversized body was refused, but the server is not live afterwards', evidence);
    return pass(`${r.status === 413 ? 'HTTP 413' : `connection closed (${r.connectionError})`} after ${r.bytesSent} of ${limit + 1} body bytes; live afterwards`, evidence);
  }, { needsReadyServer: true, timeoutMs: PROBE_TIMEOUT_MS + 60_000 });

  defineCheck('limits.grpc-at-limit', async ({ run }) => {
    const limit = run.options.messageLimit;
    const msg = sizedInferRequest(limit, run.options.modelName, await servedInput());
    const r = await sendGrpcMessage(run.target.grpcAddress!, MODEL_INFER, msg, PROBE_TIMEOUT_MS);
    const alive = await liveAfterProbe(get());
    const items = [`probe: ${msg.describe}, serialized size exactly the limit (${limit}), the largest size the limit allows`, ...grpcLines(r), `afterwards: ${alive.items.join('; ')}`];
    const evidence = { items, observed: { bytesSent: r.bytesSent, grpcStatus: r.grpcStatus, grpcMessage: r.grpcMessage, liveAfterwards: alive.live }, expected: { grpcStatus: 'anything but RESOURCE_EXHAUSTED (a content error is fine)', liveAfterwards: true } };
    if (r.grpcStatus === RESOURCE_EXHAUSTED) return fail(`a message of exactly ${limit} bytes was refused: "${r.grpcMessage}"`, evidence);
    if (r.grpcStatus === null) return fail(`no gRPC answer to a ${limit}-byte message (${r.error ?? 'stream closed'})`, evidence);
    if (!alive.live) return fail(`the server is not live after a ${limit}-byte message`, evidence);
    return pass(`a ${limit}-byte message was not refused for its size (grpc-status ${r.grpcStatus} "${r.grpcMessage.slice(0, 80)}")`, evidence);
  }, { needsReadyServer: true, timeoutMs: PROBE_TIMEOUT_MS + 60_000 });

  defineCheck('limits.rest-at-limit', async ({ run }) => {
    const limit = run.options.messageLimit;
    const input = await servedInput();
    const head = binaryHeader(input, limit);
    const r = await sendRestBody({
      url: `${run.target.restUrl}/v2/models/${encodeURIComponent(run.options.modelName)}/infer`, declared: limit, head,
      headers: { 'inference-header-content-length': String(head.length) }, timeoutMs: PROBE_TIMEOUT_MS,
    });
    const alive = await liveAfterProbe(get());
    const items = [`probe: POST, Content-Length exactly the limit (${limit}): a ${head.length}-byte KServe binary-extension JSON header, then zero bytes`, ...restLines(r), `afterwards: ${alive.items.join('; ')}`];
    const evidence = { items, observed: { status: r.status, bytesSent: r.bytesSent, liveAfterwards: alive.live }, expected: { status: 'anything but 413, with the whole body accepted', liveAfterwards: true } };
    if (r.status === 413) return fail(`a body of exactly ${limit} bytes got 413`, evidence);
    if (r.status === null) return fail(`no answer to a ${limit}-byte body (${r.connectionError ?? 'closed'} after ${r.bytesSent} bytes)`, evidence);
    if (!alive.live) return fail(`the server is not live after a ${limit}-byte body`, evidence);
    return pass(`a ${limit}-byte body was not refused for its size (HTTP ${r.status})`, evidence);
  }, { needsReadyServer: true, timeoutMs: PROBE_TIMEOUT_MS + 60_000 });
});
