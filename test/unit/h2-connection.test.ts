// The raw HTTP/2 flood client against node:http2 servers (nghttp2: Huffman strings, dynamic
// table indexing, flow control, SETTINGS, PING, GOAWAY, resets) and HPACK against RFC 7541's examples.
import { createServer, constants, type Http2Server, type ServerHttp2Stream, type Settings } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { H2Connection } from '../../src/probes/h2-connection.js';
import { encodeHeaderBlock, HpackDecoder, huffmanDecode } from '../../src/probes/hpack.js';
import { flood } from '../../src/probes/flood.js';
import { plaintext } from '../../src/protocol/endpoint.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('HPACK', () => {
  it('decodes RFC 7541 C.3 (literals) and C.4 (Huffman) request sequences, dynamic table included', () => {
    for (const blocks of [
      ['828684410f7777772e6578616d706c652e636f6d', '828684be58086e6f2d6361636865', '828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565'],
      ['828684418cf1e3c2e5f23a6ba0ab90f4ff', '828684be5886a8eb10649cbf', '828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf'],
    ]) {
      const d = new HpackDecoder();
      expect(d.decode(hex(blocks[0]!))).toEqual([[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']]);
      expect(d.decode(hex(blocks[1]!))).toEqual([[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']]);
      expect(d.decode(hex(blocks[2]!))).toEqual([[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']]);
    }
  });

  it('evicts from a small table and honours table size updates (RFC 7541 C.5.1-C.5.2, 256-octet table)', () => {
    const d = new HpackDecoder(256);
    d.decode(hex('3fe1014803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d'));
    expect(d.decode(hex('4803333037c1c0bf'))).toEqual([[':status', '307'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']]);
    expect(() => d.decode(hex('3fe201'))).toThrow(/above the announced/);
  });

  it('refuses bad Huffman strings and indexes beyond the table', () => {
    expect(huffmanDecode(hex('f1e3c2e5f23a6ba0ab90f4ff'), 0, 12)).toBe('www.example.com');
    expect(() => huffmanDecode(hex('f1e3c2e5f23a6ba0ab90f4fe'), 0, 12)).toThrow(/padding/);
    expect(() => huffmanDecode(hex('ffffffff'), 0, 4)).toThrow(/EOS|padding/);
    expect(() => new HpackDecoder().decode(hex('be'))).toThrow(/beyond the dynamic table/);
  });

  it('encodes requests from the static table and plain literals only', () => {
    const block = encodeHeaderBlock([[':method', 'POST'], [':path', '/a'], ['te', 'trailers']]);
    expect(block.toString('hex')).toBe('83' + '04022f61' + '0002746508747261696c657273');
    expect(new HpackDecoder().decode(block)).toEqual([[':method', 'POST'], [':path', '/a'], ['te', 'trailers']]);
  });
});

let server: Http2Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) await new Promise<void>((r) => { s.close(() => r()); (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(); setTimeout(r, 200).unref(); });
});

async function serve(handler: (stream: ServerHttp2Stream, headers: Record<string, unknown>) => void, settings: Settings = {}): Promise<{ host: string; port: number }> {
  server = createServer({ settings });
  server.on('stream', (stream, headers) => { stream.on('error', () => undefined); handler(stream, headers as Record<string, unknown>); });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

const block = encodeHeaderBlock([[':method', 'POST'], [':scheme', 'http'], [':path', '/svc/M'], [':authority', 'localhost'], ['content-type', 'application/grpc'], ['te', 'trailers']]);

function call(c: H2Connection, body: Buffer = Buffer.alloc(5), timeoutMs = 10_000, headerBlock = block): Promise<{ status: string; message: string }> {
  return new Promise((resolve) => c.call(headerBlock, body, timeoutMs, (status, message) => resolve({ status, message })));
}

function answer(stream: ServerHttp2Stream, status: number, message: string): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(status), 'grpc-message': encodeURIComponent(message) }));
  stream.end(Buffer.alloc(5));
}

describe('raw HTTP/2 client against node:http2', () => {
  it('reads grpc-status and grpc-message through Huffman strings and a churning dynamic table', async () => {
    let n = 0;
    const msgs = new Map<number, string>();
    const addr = await serve((stream) => {
      const i = n++;
      const m = `message ${i} ${'é/%x'.repeat(i % 7)} ${'z'.repeat(i * 13 % 300)}`;
      msgs.set(i, m);
      stream.resume();
      stream.on('end', () => answer(stream, i % 17, m));
    });
    const c = await H2Connection.open(addr.host, addr.port);
    const codes = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];
    for (let i = 0; i < 120; i++) {
      const r = await call(c);
      expect(r).toEqual({ status: codes[i % 17], message: msgs.get(i) });
    }
    c.close();
  });

  it('keeps to the server stream limit, queuing the rest on this side', async () => {
    let inside = 0;
    let peak = 0;
    const addr = await serve((stream) => {
      peak = Math.max(peak, ++inside);
      stream.resume();
      stream.on('end', () => setTimeout(() => { inside--; answer(stream, 0, ''); }, 20));
    }, { maxConcurrentStreams: 2 });
    const c = await H2Connection.open(addr.host, addr.port);
    expect(c.peer.maxConcurrentStreams).toBe(2);
    const results = await Promise.all(Array.from({ length: 10 }, () => call(c)));
    expect(results.every((r) => r.status === 'OK')).toBe(true);
    expect(peak).toBe(2);
    c.close();
  });

  it('sends bodies larger than the windows and frame size, several at once', async () => {
    const addr = await serve((stream) => {
      let bytes = 0;
      stream.on('data', (d: Buffer) => { bytes += d.length; });
      stream.on('end', () => answer(stream, 0, String(bytes)));
    });
    const c = await H2Connection.open(addr.host, addr.port);
    const body = Buffer.alloc(3 * 1048576 + 7, 1);
    const results = await Promise.all(Array.from({ length: 4 }, () => call(c, body)));
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ status: 'OK', message: String(body.length) })));
    c.close();
  });

  it('maps resets, HTTP errors, deadlines and a dying server as grpc-js does', async () => {
    const addr = await serve((stream, headers) => {
      const what = String(headers['x-what'] ?? '');
      stream.resume();
      if (what === 'calm') stream.close(constants.NGHTTP2_ENHANCE_YOUR_CALM);
      else if (what === 'refused') stream.close(constants.NGHTTP2_REFUSED_STREAM);
      else if (what === '404') { stream.respond({ ':status': 404 }); stream.end(); }
      else if (what === 'kill') stream.session?.destroy();
      // 'silent': never answers
    });
    const ask = async (what: string, timeoutMs = 10_000): Promise<{ status: string; message: string }> => {
      const c = await H2Connection.open(addr.host, addr.port);
      const b = encodeHeaderBlock([[':method', 'POST'], [':scheme', 'http'], [':path', '/svc/M'], [':authority', 'localhost'], ['x-what', what]]);
      const r = await call(c, Buffer.alloc(5), timeoutMs, b);
      c.close();
      return r;
    };
    expect(await ask('calm')).toEqual({ status: 'RESOURCE_EXHAUSTED', message: 'RST_STREAM code 11' });
    expect(await ask('refused')).toEqual({ status: 'UNAVAILABLE', message: 'RST_STREAM code 7' });
    expect(await ask('404')).toEqual({ status: 'UNIMPLEMENTED', message: 'HTTP status 404 without grpc-status' });
    expect((await ask('kill')).status).toMatch(/UNAVAILABLE|INTERNAL|CANCELLED/);
    const t0 = performance.now();
    expect(await ask('silent', 300)).toEqual({ status: 'DEADLINE_EXCEEDED', message: 'no answer within 300 ms' });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('answers PINGs and ends calls above a GOAWAY as UNAVAILABLE', async () => {
    let pinged!: (ok: boolean) => void;
    const ping = new Promise<boolean>((r) => { pinged = r; });
    let n = 0;
    const addr = await serve((stream) => {
      stream.resume();
      if (++n === 1) {
        stream.session!.ping((err) => pinged(!err));
        stream.on('end', () => answer(stream, 0, 'first'));
      } else if (n === 2) {
        stream.session!.goaway(constants.NGHTTP2_NO_ERROR, stream.id!);
        stream.on('end', () => answer(stream, 0, 'second'));
      }
    });
    const c = await H2Connection.open(addr.host, addr.port);
    expect(await call(c)).toEqual({ status: 'OK', message: 'first' });
    expect(await ping).toBe(true);
    const [second, third] = await Promise.all([call(c), call(c)]);
    expect(second).toEqual({ status: 'OK', message: 'second' });
    expect(third).toEqual({ status: 'UNAVAILABLE', message: 'GOAWAY code 0' });
    expect(await call(c)).toEqual({ status: 'UNAVAILABLE', message: 'GOAWAY code 0' });
    c.close();
  });

  it('fails every call of a refused connection with the reason', async () => {
    const addr = await serve(() => undefined);
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const c = await H2Connection.open(addr.host, addr.port);
    expect(await call(c)).toEqual({ status: 'UNAVAILABLE', message: 'connection closed (ECONNREFUSED)' });
  });
});

describe('flood over the raw client', () => {
  it('bounds calls by count, keeps the in-flight count and reports statuses and messages', async () => {
    let inside = 0;
    let peak = 0;
    let n = 0;
    const addr = await serve((stream) => {
      peak = Math.max(peak, ++inside);
      const i = n++;
      stream.resume();
      stream.on('end', () => setTimeout(() => { inside--; if (i % 4 === 3) answer(stream, 8, 'Server Threadpool Exhausted'); else answer(stream, 0, ''); }, 2));
    });
    const r = await flood({ endpoint: plaintext(`${addr.host}:${addr.port}`), method: '/svc/M', body: Buffer.alloc(5), connections: 2, inFlightPerConnection: 3, maxCalls: 200, maxDurationMs: 20_000 });
    expect(r.achieved.count).toBe(200);
    expect(r.endReason).toBe('count');
    expect(r.statusCodes).toEqual({ OK: 150, RESOURCE_EXHAUSTED: 50 });
    expect(r.errors['RESOURCE_EXHAUSTED: Server Threadpool Exhausted']?.count).toBe(50);
    expect(r.serverStreamLimit).toBe(null);
    expect(peak).toBeLessThanOrEqual(6);
    expect(peak).toBeGreaterThan(1);
  });

  it('stops by duration', async () => {
    const addr = await serve((stream) => { stream.resume(); stream.on('end', () => setTimeout(() => answer(stream, 0, ''), 5)); });
    const t0 = performance.now();
    const r = await flood({ endpoint: plaintext(`${addr.host}:${addr.port}`), method: '/svc/M', body: Buffer.alloc(5), connections: 1, inFlightPerConnection: 2, maxCalls: 1_000_000, maxDurationMs: 300 });
    expect(r.endReason).toBe('duration');
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.statusCodes['OK']).toBe(r.achieved.count);
  });

  it('records the stream limit the server announced', async () => {
    const addr = await serve((stream) => { stream.resume(); stream.on('end', () => answer(stream, 0, '')); }, { maxConcurrentStreams: 3 });
    const r = await flood({ endpoint: plaintext(`${addr.host}:${addr.port}`), method: '/svc/M', body: Buffer.alloc(5), connections: 1, inFlightPerConnection: 5, maxCalls: 20, maxDurationMs: 10_000 });
    expect(r.serverStreamLimit).toBe(3);
    expect(r.statusCodes).toEqual({ OK: 20 });
  });
});
