// Sends one HTTP/1.1 POST with a declared Content-Length over node:http, streaming the body from a
// reused buffer, and records the status and how many body bytes went out before the answer or the
// connection closed. With `expectContinue` it sends no body unless the server asks for it.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Endpoint } from '../protocol/endpoint.js';
import { authHeaders, tlsOptions } from '../protocol/connect.js';
import { zeros } from './payload.js';

export interface RestSendResult {
  declared: number;
  bytesSent: number;
  status: number | null;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  closedBeforeBodyDone: boolean;
  continueReceived: boolean;
  connectionError: string | null;
  answerAfterMs: number | null;
  durationMs: number;
}

export interface RestSendOptions {
  endpoint: Endpoint;
  path: string;
  declared: number;
  head?: Buffer;
  headers?: Record<string, string>;
  expectContinue?: boolean;
  timeoutMs?: number;
}

export function sendRestBody(opts: RestSendOptions): Promise<RestSendResult> {
  const head = opts.head ?? Buffer.alloc(0);
  const t0 = performance.now();
  const result: RestSendResult = {
    declared: opts.declared, bytesSent: 0, status: null, headers: {}, body: '', closedBeforeBodyDone: false,
    continueReceived: false, connectionError: null, answerAfterMs: null, durationMs: 0,
  };
  return new Promise((resolve) => {
    let answered = false;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      result.durationMs = Math.round(performance.now() - t0);
      resolve(result);
    };
    const url = `${opts.endpoint.address}${opts.path}`;
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, {
      method: 'POST', agent: false, ...tlsOptions(opts.endpoint),
      headers: {
        'content-length': String(opts.declared), 'content-type': 'application/octet-stream', ...authHeaders(opts.endpoint), ...opts.headers,
        ...(opts.expectContinue ? { expect: '100-continue' } : {}),
      },
    });
    const timer = setTimeout(() => { result.connectionError = `no answer within ${(opts.timeoutMs ?? 600_000) / 1000} s`; req.destroy(); }, opts.timeoutMs ?? 600_000);
    const streamBody = async (): Promise<void> => {
      const write = (b: Buffer): Promise<boolean> => new Promise((r) => {
        if (answered || req.destroyed) return r(false);
        result.bytesSent += b.length;
        if (req.write(b)) r(true);
        else { const go = (): void => { req.off('close', go); req.off('drain', go); r(!answered && !req.destroyed); }; req.once('drain', go); req.once('close', go); }
      });
      let ok = head.length === 0 || await write(head);
      for (const z of zeros(opts.declared - head.length)) if (!(ok &&= await write(z))) break;
      if (ok) req.end();
      if (result.bytesSent < opts.declared) result.closedBeforeBodyDone = true;
    };
    let started = false;
    const start = (): void => { if (!started && !answered) { started = true; void streamBody(); } };
    req.on('continue', () => { result.continueReceived = true; start(); });
    // Like curl: a server that ignores Expect gets the body after a short wait.
    const expectTimer = opts.expectContinue ? setTimeout(start, 3000) : undefined;
    req.on('response', (res) => {
      answered = true;
      clearTimeout(expectTimer);
      result.answerAfterMs = Math.round(performance.now() - t0);
      result.status = res.statusCode ?? null;
      result.headers = res.headers;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => { if (chunks.length < 16) chunks.push(c); });
      res.on('end', () => { result.body = Buffer.concat(chunks).toString('utf8').slice(0, 500); clearTimeout(timer); req.destroy(); finish(); });
      res.on('error', () => { clearTimeout(timer); finish(); });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      result.connectionError ??= e.code ?? e.message;
      if (result.bytesSent < opts.declared) result.closedBeforeBodyDone = true;
    });
    req.on('close', () => { clearTimeout(timer); clearTimeout(expectTimer); if (!answered) finish(); });
    req.flushHeaders();
    if (!opts.expectContinue) start();
  });
}

/**
 * Whether a REST send was refused: a 413, a connection closed before the body was complete, or a
 * reset with no answer after the last byte was handed to the socket (the bytes sat in kernel
 * buffers and the server closed the connection on them; its 413 may be lost in the reset).
 */
export function restRefusal(r: RestSendResult): { refused: boolean; how: string } {
  if (r.status === 413) return { refused: true, how: 'HTTP 413' };
  if (r.status === null && r.closedBeforeBodyDone) return { refused: true, how: `connection closed (${r.connectionError ?? 'closed'}) after ${r.bytesSent} of ${r.declared} body bytes` };
  if (r.status === null && (r.connectionError === 'ECONNRESET' || r.connectionError === 'EPIPE')) {
    return { refused: true, how: `connection reset (${r.connectionError}) with no answer after all ${r.bytesSent} bytes were written to the socket (written is not read)` };
  }
  return { refused: false, how: r.status !== null ? `HTTP ${r.status}` : r.connectionError ?? 'no answer' };
}
