// Sends one gRPC message of an exact serialized size over raw HTTP/2 (node:http2), streaming the
// padding from a reused buffer so the harness never holds the message, and records when the
// answer came relative to the last byte (gRPC core answers only once the whole announced
// message has arrived: grpc-core-behaviour section 1).
import { connect, constants } from 'node:http2';
import type { Endpoint } from '../protocol/endpoint.js';
import { authHeaders, grpcUrl, tlsOptions } from '../protocol/connect.js';
import { CHUNK, zeros, type SizedMessage } from './payload.js';

export interface GrpcSendResult {
  announced: number;
  bytesSent: number;
  grpcStatus: number | null;
  grpcMessage: string;
  rstCode: number | null;
  /** ms from the first byte to the answer; and from the last byte sent to the answer (negative = before). */
  answerAfterMs: number | null;
  answerAfterLastByteMs: number | null;
  durationMs: number;
  error: string | null;
}

const decode = (s: string): string => { try { return decodeURIComponent(s); } catch { return s; } };

/**
 * `beforeLastByte`, when given, is awaited after all but the message's last byte have been sent:
 * concurrent probes use it to be sure their messages are all in flight at the same moment.
 */
export async function sendGrpcMessage(endpoint: Endpoint, method: string, message: SizedMessage | { raw: number }, timeoutMs = 600_000, beforeLastByte?: () => Promise<void>, stop?: AbortSignal): Promise<GrpcSendResult> {
  const announced = 'raw' in message ? message.raw : message.head.length + message.padding;
  const session = connect(grpcUrl(endpoint), tlsOptions(endpoint, ['h2']) ?? {});
  session.on('error', () => undefined);
  const t0 = performance.now();
  let tLast: number | null = null;
  let tAnswer: number | null = null;
  let grpcStatus: number | null = null;
  let grpcMessage = '';
  let rstCode: number | null = null;
  let bytesSent = 0;
  let error: string | null = null;
  const stream = session.request({
    [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: method,
    'content-type': 'application/grpc', te: 'trailers', ...authHeaders(endpoint),
  });
  const onHeaders = (h: Record<string, unknown>): void => {
    tAnswer ??= performance.now();
    if (h['grpc-status'] !== undefined) {
      grpcStatus = Number(h['grpc-status']);
      grpcMessage = decode(String(h['grpc-message'] ?? ''));
    }
  };
  const done = new Promise<void>((resolve) => {
    stream.on('response', onHeaders);
    stream.on('trailers', onHeaders);
    stream.on('data', () => undefined);
    stream.on('close', () => { rstCode = stream.rstCode ?? null; tAnswer ??= performance.now(); resolve(); });
    stream.on('error', (e) => { error ??= (e as NodeJS.ErrnoException).code ?? e.message; });
  });
  const timer = setTimeout(() => { error = `no answer within ${timeoutMs / 1000} s`; stream.close(constants.NGHTTP2_CANCEL); }, timeoutMs);
  const onStop = (): void => { if (tAnswer === null) { error ??= `stopped by the probe: ${String(stop?.reason ?? 'aborted')}`; stream.close(constants.NGHTTP2_CANCEL); } };
  if (stop?.aborted) onStop();
  stop?.addEventListener('abort', onStop, { once: true });
  const write = async (b: Buffer): Promise<boolean> => {
    if (stream.closed || stream.destroyed || tAnswer !== null || stop?.aborted) return false;
    bytesSent += b.length;
    if (!stream.write(b)) {
      await new Promise<void>((r) => {
        const go = (): void => { stream.off('drain', go); stream.off('close', go); r(); };
        stream.on('drain', go);
        stream.on('close', go);
      });
    }
    return true;
  };
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(announced >>> 0, 1);
  let ok = await write(prefix);
  const padding = 'raw' in message ? message.raw : message.padding;
  if (!('raw' in message)) ok = ok && await write(message.head);
  for (const z of zeros(Math.max(0, padding - 1))) if (!(ok &&= await write(z))) break;
  await beforeLastByte?.();
  if (ok && padding > 0) await write(Buffer.alloc(1));
  bytesSent -= 5;
  tLast = performance.now();
  if (!stream.closed) stream.end();
  await done;
  clearTimeout(timer);
  stop?.removeEventListener('abort', onStop);
  session.close();
  return {
    announced, bytesSent, grpcStatus, grpcMessage, rstCode,
    answerAfterMs: tAnswer === null ? null : Math.round(tAnswer - t0),
    answerAfterLastByteMs: tAnswer === null || tLast === null ? null : Math.round(tAnswer - tLast),
    durationMs: Math.round(performance.now() - t0), error,
  };
}

const LARGER = /Received message larger than max \((\d+) vs\. (\d+)\)/;

export function parseLargerThanMax(message: string): { size: number; limit: number } | null {
  const m = LARGER.exec(message);
  return m ? { size: Number(m[1]), limit: Number(m[2]) } : null;
}
