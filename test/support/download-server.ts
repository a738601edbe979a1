// A local HTTP server that serves one file and injects download faults by path prefix:
//   /ok/F, /missing/F (404), /corrupt/F (right size, wrong bytes), /truncate-once/F (the first
//   response stops half way, later Range requests are served), /truncate-always/F, /longer/F.
// Also a forward proxy that records what it relayed.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultServer { url: string; requests: { path: string; range?: string }[]; close(): Promise<void> }

export async function startFaultServer(content: Buffer): Promise<FaultServer> {
  const requests: FaultServer['requests'] = [];
  const served = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const range = req.headers.range;
    requests.push(range ? { path, range } : { path });
    const mode = path.split('/')[1];
    const count = (served.get(path) ?? 0) + 1;
    served.set(path, count);
    if (mode === 'missing') { res.writeHead(404); res.end('not found'); return; }
    let body = content;
    if (mode === 'corrupt') body = Buffer.from(content).fill(7, 0, 16);
    if (mode === 'longer') body = Buffer.concat([content, Buffer.from('extra')]);
    const m = range ? /bytes=(\d+)-/.exec(range) : null;
    const start = m ? Number(m[1]) : 0;
    const truncate = mode === 'truncate-always' || (mode === 'truncate-once' && count === 1);
    if (start > 0) {
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    } else {
      res.writeHead(200, { 'content-length': body.length });
    }
    const slice = body.subarray(start);
    if (truncate) {
      // Let the client take in the half it was sent before the connection drops.
      res.write(slice.subarray(0, Math.floor(slice.length / 2)), () => setTimeout(() => res.socket?.destroy(), 100));
      return;
    }
    res.end(slice);
  });
  return listen(server, requests);
}

export async function startProxy(): Promise<FaultServer> {
  const requests: FaultServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '' });
    const target = new URL(req.url ?? '');
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(upstream);
  });
  return listen(server, requests);
}

function listen(server: Server, requests: FaultServer['requests']): Promise<FaultServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`, requests,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
