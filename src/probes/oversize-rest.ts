// Sends one HTTP/1.1 POST with a declared Content-Length over node:http, streaming the body from a
// reused buffer, and records the status and how many body bytes went out before the answer or the
// connection closed. With `expectContinue` it sends no body unless the server asks for it.
import { request } from 'node:http';
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
  url: string;
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
    const req = request(opts.url, {
      method: 'POST', agent: false,
      headers: { 'content-length': String(opts.declared), 'content-type': 'application/octet-stream', ...opts.headers, ...(opts.expectContinue ? { expect: '100-continue' } : {}) },
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
