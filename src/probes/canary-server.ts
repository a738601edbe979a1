// A small HTTP server of the harness's own that a server under test may be tricked into fetching
// from: its request log is the evidence that a fetch happened. It listens only on loopback or on
// this machine's Docker bridge address (never on every interface), on a random port, and closes
// itself after a bounded time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback } from './loopback.js';

export interface CanaryHit { method: string; path: string; host: string; atMs: number }

/** A 1x1 PNG: what the canary serves as an image. */
export const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export class CanaryServer {
  readonly hits: CanaryHit[] = [];
  private readonly t0 = performance.now();
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly server: Server, readonly address: string, readonly port: number) {}

  /** Starts on `address`, which must be loopback or the given bridge address; closes by itself after `lifetimeMs`. */
  static async start(address: string, bridge: string | null, lifetimeMs = 120_000): Promise<CanaryServer> {
    if (!isLoopback(address) && address !== bridge) throw new Error(`the canary server listens only on loopback or the Docker bridge (${bridge ?? 'none here'}), not on ${address}`);
    let self: CanaryServer | null = null;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://canary');
      self?.hits.push({ method: req.method ?? '', path: url.pathname, host: String(req.headers.host ?? ''), atMs: Math.round(performance.now() - (self?.t0 ?? 0)) });
      const to = url.pathname.startsWith('/redirect/') ? url.searchParams.get('to') : null;
      if (to) { res.writeHead(302, { location: to, 'content-length': 0 }); res.end(); return; }
      if (url.pathname.startsWith('/img/')) { res.writeHead(200, { 'content-type': 'image/png', 'content-length': PIXEL_PNG.length }); res.end(PIXEL_PNG); return; }
      res.writeHead(404, { 'content-length': 0 });
      res.end();
    });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, address, resolve); });
    self = new CanaryServer(server, address, (server.address() as AddressInfo).port);
    self.timer = setTimeout(() => { void self?.stop(); }, lifetimeMs);
    self.timer.unref();
    return self;
  }

  /** A URL of this canary under another spelling of its host (the same server, a different host string). */
  url(path: string, host = this.address): string {
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}${path}`;
  }

  hitsFor(path: string): CanaryHit[] { return this.hits.filter((h) => h.path === path); }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await new Promise<void>((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
  }
}

/** Another spelling of an IPv4 address (its 32-bit number), which a host allow-list compared as a string does not match. */
export function numericHost(ipv4: string): string {
  return String(ipv4.split('.').reduce((n, o) => n * 256 + Number(o), 0));
}
