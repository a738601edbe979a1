// A raw HTTP/2 client connection for unary gRPC calls, written for the flood: node:http2 costs
// ~80 µs of CPU per call, which made the generator the bottleneck of the floods it measured.
// This one writes a pre-encoded header block and the caller's body per stream, batches all frames
// of one event-loop turn into one socket write, and reads responses only as far as a verdict
// needs (:status, grpc-status, grpc-message, RST_STREAM codes). It keeps HTTP/2's rules a server
// relies on: the peer's SETTINGS_MAX_CONCURRENT_STREAMS (calls beyond it wait on this side, as
// gRPC clients queue them), send flow control, SETTINGS/PING acknowledgement, GOAWAY.
import { status as grpcStatus } from '@grpc/grpc-js';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { HpackDecoder, HpackError, type HeaderField } from './hpack.js';

export type CallDone = (status: string, message: string) => void;

export interface PeerSettings { headerTableSize: number; maxConcurrentStreams: number; initialWindowSize: number; maxFrameSize: number }

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PUSH_PROMISE = 5, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9;
const END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY = 0x20;
const MAX_WINDOW = 2 ** 31 - 1;
const DEFAULT_WINDOW = 65535;
const NO_ERROR = 0, PROTOCOL_ERROR = 1, COMPRESSION_ERROR = 9, CANCEL = 8, REFUSED_STREAM = 7, ENHANCE_YOUR_CALM = 11;

/** As grpc-js maps resets (tooling-anchors C.2). */
function statusOfReset(code: number): string {
  return code === ENHANCE_YOUR_CALM ? 'RESOURCE_EXHAUSTED' : code === REFUSED_STREAM ? 'UNAVAILABLE' : code === CANCEL ? 'CANCELLED' : 'INTERNAL';
}

/** The gRPC HTTP-to-status mapping for responses without grpc-status (gRPC's http-grpc-status-mapping). */
function statusOfHttp(status: number): string {
  switch (status) {
    case 400: return 'INTERNAL';
    case 401: return 'UNAUTHENTICATED';
    case 403: return 'PERMISSION_DENIED';
    case 404: return 'UNIMPLEMENTED';
    case 429: case 502: case 503: case 504: return 'UNAVAILABLE';
    default: return 'UNKNOWN';
  }
}

interface Call { headerBlock: Buffer; body: Buffer; deadline: number; timeoutMs: number; done: CallDone }

interface Stream extends Call {
  id: number;
  sent: number;
  sendWindow: number;
  localEnded: boolean;
  httpStatus: number;
  status: string | undefined;
  message: string;
}

export class H2Connection {
  readonly peer: PeerSettings = { headerTableSize: 4096, maxConcurrentStreams: Infinity, initialWindowSize: DEFAULT_WINDOW, maxFrameSize: 16384 };
  /** Why the connection ended, once it has. */
  closedWith: string | undefined;
  private readonly streams = new Map<number, Stream>();
  private readonly waiting: Call[] = [];
  private waitingHead = 0;
  private blocked: Stream[] = [];
  private nextId = 1;
  private sendWindow = DEFAULT_WINDOW;
  private unacknowledgedBytes = 0;
  private goawayLastId = MAX_WINDOW;
  private readonly decoder = new HpackDecoder();
  private continuation: { id: number; endStream: boolean; parts: Buffer[] } | null = null;
  private leftover: Buffer | null = null;
  private out: Buffer = Buffer.allocUnsafe(65536);
  private outStart = 0;
  private outPos = 0;
  private chunks: Buffer[] = [];
  private flushQueued = false;
  private readonly timer: NodeJS.Timeout;
  private socketError = '';

  private constructor(private readonly socket: Socket, private readonly settingsSeen: () => void) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => { this.socketError = e.code ?? e.message; });
    socket.on('close', () => this.fail(`connection closed${this.socketError ? ` (${this.socketError})` : ''}`));
    this.timer = setInterval(() => this.expire(), 100);
    this.timer.unref();
  }

  /** Connects and resolves once the server's first SETTINGS arrived (or the connection failed, or settingsTimeoutMs passed). */
  static open(host: string, port: number, settingsTimeoutMs = 10_000, tls?: ConnectionOptions): Promise<H2Connection> {
    return new Promise((resolve) => {
      let conn: H2Connection;
      const socket = tls ? tlsConnect({ host, port, ...tls, ALPNProtocols: ['h2'] }) : tcpConnect({ host, port });
      const settle = (): void => { clearTimeout(t); resolve(conn); };
      const t = setTimeout(settle, settingsTimeoutMs);
      conn = new H2Connection(socket, settle);
      socket.once('close', settle);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        conn.bytes(PREFACE);
        // No push; stream windows as large as allowed, and the connection window too, so the
        // server is never slowed by this side; the connection window is topped up as data arrives.
        conn.frame(18, SETTINGS, 0, 0);
        conn.u16(2); conn.u32(0);
        conn.u16(4); conn.u32(MAX_WINDOW);
        conn.u16(6); conn.u32(1 << 20);
        conn.frame(4, WINDOW_UPDATE, 0, 0);
        conn.u32(MAX_WINDOW - DEFAULT_WINDOW);
        conn.flush();
      });
    });
  }

  get active(): number { return this.streams.size; }
  get queued(): number { return this.waiting.length - this.waitingHead; }

  /** Starts one call (or queues it while the peer's stream limit is reached); done is never called synchronously. */
  call(headerBlock: Buffer, body: Buffer, timeoutMs: number, done: CallDone): void {
    const c: Call = { headerBlock, body, timeoutMs, deadline: performance.now() + timeoutMs, done };
    if (this.closedWith !== undefined) { setImmediate(done, 'UNAVAILABLE', this.closedWith); return; }
    if (this.streams.size >= this.peer.maxConcurrentStreams || this.queued > 0) this.waiting.push(c);
    else this.open(c);
  }

  close(): void {
    if (this.closedWith === undefined) {
      this.goaway(NO_ERROR);
      this.flush();
    }
    this.fail('connection closed by the client');
    this.socket.end();
  }

  private open(c: Call): void {
    if (this.nextId > MAX_WINDOW) { this.closedWith = 'stream ids exhausted'; setImmediate(c.done, 'UNAVAILABLE', this.closedWith); return; }
    const s: Stream = { ...c, id: this.nextId, sent: 0, sendWindow: this.peer.initialWindowSize, localEnded: false, httpStatus: 0, status: undefined, message: '' };
    this.nextId += 2;
    this.streams.set(s.id, s);
    const empty = s.body.length === 0;
    this.frame(s.headerBlock.length, HEADERS, END_HEADERS | (empty ? END_STREAM : 0), s.id);
    this.bytes(s.headerBlock);
    if (empty) s.localEnded = true;
    else if (!this.sendData(s)) this.blocked.push(s);
    this.scheduleFlush();
  }

  /** Sends as much of the body as the windows allow; true when all of it is out. */
  private sendData(s: Stream): boolean {
    while (s.sent < s.body.length) {
      const n = Math.min(s.body.length - s.sent, this.sendWindow, s.sendWindow, this.peer.maxFrameSize);
      if (n <= 0) return false;
      const last = s.sent + n === s.body.length;
      this.frame(n, DATA, last ? END_STREAM : 0, s.id);
      this.bytes(s.body.subarray(s.sent, s.sent + n));
      s.sent += n;
      this.sendWindow -= n;
      s.sendWindow -= n;
    }
    s.localEnded = true;
    return true;
  }

  private unblock(): void {
    if (this.blocked.length === 0) return;
    this.blocked = this.blocked.filter((s) => this.streams.has(s.id) && !this.sendData(s));
    this.scheduleFlush();
  }

  private openWaiting(): void {
    while (this.queued > 0 && this.streams.size < this.peer.maxConcurrentStreams && this.closedWith === undefined) {
      const c = this.waiting[this.waitingHead++]!;
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) { this.waiting.splice(0, this.waitingHead); this.waitingHead = 0; }
      this.open(c);
    }
  }

  private finish(s: Stream, status: string, message: string): void {
    if (!this.streams.delete(s.id)) return;
    if (!s.localEnded && this.closedWith === undefined) {
      // The server answered before taking the whole request: tell it this side is done too.
      this.frame(4, RST_STREAM, 0, s.id);
      this.u32(NO_ERROR);
      this.scheduleFlush();
    }
    s.done(status, message);
    this.openWaiting();
  }

  private complete(s: Stream): void {
    if (s.status !== undefined) this.finish(s, s.status, s.message);
    else if (s.httpStatus !== 200 && s.httpStatus !== 0) this.finish(s, statusOfHttp(s.httpStatus), `HTTP status ${s.httpStatus} without grpc-status`);
    else this.finish(s, 'INTERNAL', 'stream ended without grpc-status');
  }

  private expire(): void {
    const now = performance.now();
    for (const s of this.streams.values()) {
      if (now < s.deadline) continue;
      this.frame(4, RST_STREAM, 0, s.id);
      this.u32(CANCEL);
      s.localEnded = true;
      this.finish(s, 'DEADLINE_EXCEEDED', `no answer within ${s.timeoutMs} ms`);
    }
    for (let i = this.waitingHead; i < this.waiting.length; i++) {
      const c = this.waiting[i]!;
      if (now < c.deadline) continue;
      this.waiting.splice(i--, 1);
      c.done('DEADLINE_EXCEEDED', `no answer within ${c.timeoutMs} ms (still waiting for a free stream)`);
    }
    this.flush();
  }

  /** Ends every call still open or waiting, once, with UNAVAILABLE. */
  private fail(why: string): void {
    if (this.closedWith === undefined) this.closedWith = why;
    clearInterval(this.timer);
    const open = [...this.streams.values()];
    this.streams.clear();
    for (const s of open) s.done('UNAVAILABLE', this.closedWith);
    this.drainWaiting(this.closedWith);
  }

  /** Ends every call still waiting for a stream with UNAVAILABLE. */
  private drainWaiting(why: string): void {
    const waiting = this.waiting.splice(this.waitingHead);
    this.waitingHead = 0;
    this.waiting.length = 0;
    for (const c of waiting) c.done('UNAVAILABLE', why);
  }

  /** Last-stream-id 0: it names the last stream the server opened, and this side accepts none (no push). */
  private goaway(code: number): void {
    this.frame(8, GOAWAY, 0, 0);
    this.u32(0);
    this.u32(code);
  }

  private onData(chunk: Buffer): void {
    let buf = chunk;
    if (this.leftover) { buf = Buffer.concat([this.leftover, chunk]); this.leftover = null; }
    let pos = 0;
    try {
      while (buf.length - pos >= 9) {
        const len = buf.readUIntBE(pos, 3);
        if (buf.length - pos - 9 < len) break;
        this.onFrame(buf[pos + 3]!, buf[pos + 4]!, buf.readUInt32BE(pos + 5) & MAX_WINDOW, buf, pos + 9, pos + 9 + len);
        pos += 9 + len;
      }
    } catch (e) {
      this.goaway(e instanceof HpackError ? COMPRESSION_ERROR : PROTOCOL_ERROR);
      this.flush();
      this.fail(`HTTP/2 error from the server side: ${(e as Error).message}`);
      this.socket.destroy();
      return;
    }
    if (pos < buf.length) this.leftover = buf.subarray(pos);
    this.flush();
  }

  private onFrame(type: number, flags: number, id: number, buf: Buffer, start: number, end: number): void {
    if (this.continuation && type !== CONTINUATION) throw new Error(`frame type ${type} inside a header block`);
    switch (type) {
      case DATA: {
        this.unacknowledgedBytes += end - start;
        if (this.unacknowledgedBytes >= 1 << 30) {
          this.frame(4, WINDOW_UPDATE, 0, 0);
          this.u32(this.unacknowledgedBytes);
          this.unacknowledgedBytes = 0;
        }
        const s = this.streams.get(id);
        if (s && flags & END_STREAM) this.complete(s);
        return;
      }
      case HEADERS:
      case PUSH_PROMISE: {
        let from = start;
        let to = end;
        if (flags & PADDED) { to -= buf[from]!; from++; }
        if (type === HEADERS && flags & PRIORITY) from += 5;
        if (type === PUSH_PROMISE) from += 4;
        const fragment = buf.subarray(from, to);
        if (flags & END_HEADERS) this.onHeaderBlock(type === HEADERS ? id : 0, fragment, (flags & END_STREAM) !== 0);
        else this.continuation = { id: type === HEADERS ? id : 0, endStream: (flags & END_STREAM) !== 0, parts: [Buffer.from(fragment)] };
        return;
      }
      case CONTINUATION: {
        const c = this.continuation;
        if (!c) throw new Error('CONTINUATION without a header block');
        c.parts.push(Buffer.from(buf.subarray(start, end)));
        if (flags & END_HEADERS) { this.continuation = null; this.onHeaderBlock(c.id, Buffer.concat(c.parts), c.endStream); }
        return;
      }
      case RST_STREAM: {
        const s = this.streams.get(id);
        if (!s) return;
        const code = buf.readUInt32BE(start);
        s.localEnded = true;
        if (s.status !== undefined) this.finish(s, s.status, s.message);
        else this.finish(s, statusOfReset(code), `RST_STREAM code ${code}`);
        return;
      }
      case SETTINGS: {
        if (flags & ACK) return;
        for (let p = start; p + 6 <= end; p += 6) this.setting(buf.readUInt16BE(p), buf.readUInt32BE(p + 2));
        this.frame(0, SETTINGS, ACK, 0);
        this.settingsSeen();
        this.openWaiting();
        this.unblock();
        return;
      }
      case PING: {
        if (flags & ACK) return;
        this.frame(8, PING, ACK, 0);
        this.bytes(buf.subarray(start, start + 8));
        return;
      }
      case GOAWAY: {
        const last = buf.readUInt32BE(start) & MAX_WINDOW;
        const code = buf.readUInt32BE(start + 4);
        const why = `GOAWAY code ${code}`;
        this.goawayLastId = Math.min(this.goawayLastId, last);
        if (this.closedWith === undefined) this.closedWith = why;
        for (const s of [...this.streams.values()]) if (s.id > this.goawayLastId) { s.localEnded = true; this.finish(s, 'UNAVAILABLE', why); }
        this.drainWaiting(why);
        return;
      }
      case WINDOW_UPDATE: {
        const inc = buf.readUInt32BE(start) & MAX_WINDOW;
        if (id === 0) this.sendWindow += inc;
        else { const s = this.streams.get(id); if (s) s.sendWindow += inc; }
        this.unblock();
        return;
      }
      default:
        return; // PRIORITY and unknown frame types are ignored, as RFC 9113 §5.5 asks.
    }
  }

  private setting(key: number, value: number): void {
    switch (key) {
      case 1: this.peer.headerTableSize = value; break;
      case 3: this.peer.maxConcurrentStreams = value; break;
      case 4: {
        const delta = value - this.peer.initialWindowSize;
        this.peer.initialWindowSize = value;
        for (const s of this.streams.values()) s.sendWindow += delta;
        break;
      }
      case 5: this.peer.maxFrameSize = value; break;
      default: break;
    }
  }

  private onHeaderBlock(id: number, block: Buffer, endStream: boolean): void {
    // Decoded whatever the stream, so the dynamic table stays in step with the server's.
    const fields = this.decoder.decode(block);
    const s = this.streams.get(id);
    if (!s) return;
    for (const f of fields) this.take(s, f);
    if (endStream) this.complete(s);
  }

  private take(s: Stream, [name, value]: HeaderField): void {
    if (name === ':status') s.httpStatus = Number(value);
    else if (name === 'grpc-status') s.status = grpcStatus[Number(value)] ?? value;
    else if (name === 'grpc-message') {
      try { s.message = decodeURIComponent(value); } catch { s.message = value; }
    }
  }

  // --- output: frames of one event-loop turn go out in one write ---

  private frame(length: number, type: number, flags: number, id: number): void {
    this.reserve(9);
    const o = this.out;
    const p = this.outPos;
    o[p] = length >>> 16; o[p + 1] = (length >>> 8) & 0xff; o[p + 2] = length & 0xff;
    o[p + 3] = type; o[p + 4] = flags;
    o.writeUInt32BE(id, p + 5);
    this.outPos = p + 9;
  }

  private u16(v: number): void { this.reserve(2); this.out.writeUInt16BE(v, this.outPos); this.outPos += 2; }
  private u32(v: number): void { this.reserve(4); this.out.writeUInt32BE(v, this.outPos); this.outPos += 4; }

  private bytes(b: Buffer): void {
    if (b.length > 4096) {
      // Large bodies go out as they are, without a copy.
      this.seal();
      this.chunks.push(b);
      return;
    }
    this.reserve(b.length);
    b.copy(this.out, this.outPos);
    this.outPos += b.length;
  }

  private reserve(n: number): void {
    if (this.outPos + n <= this.out.length) return;
    this.seal();
    this.out = Buffer.allocUnsafe(Math.max(65536, n));
    this.outStart = this.outPos = 0;
  }

  private seal(): void {
    if (this.outPos > this.outStart) this.chunks.push(this.out.subarray(this.outStart, this.outPos));
    this.outStart = this.outPos;
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    this.seal();
    const chunks = this.chunks;
    if (chunks.length === 0 || this.socket.destroyed) { this.chunks = []; return; }
    this.chunks = [];
    if (chunks.length === 1) { this.socket.write(chunks[0]!); return; }
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }
}
