// Debian's nginx as a TLS reverse proxy in front of a server, the way the OVMS nginx-mtls sample
// does it (shared/facts/ovms-facts.md section 9): REST by proxy_pass on a `listen ... ssl` port,
// gRPC by grpc_pass on a `listen ... ssl http2` port (nginx 1.22), with client certificates or a
// bearer token, and the misconfigured variants the exposure checks must catch.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pki } from './pki.js';

export interface ProxyOptions {
  backendRest: string;
  backendGrpc: string;
  auth: 'mtls' | 'token';
  token?: string;
  /** Misconfigurations, each one of a kind. */
  oldTls?: boolean;
  grpcWithoutAuth?: boolean;
  wrongNameCert?: boolean;
  /** The REST side passes /v1/ (config status and reload) without the token. */
  adminOpen?: boolean;
}

export interface Proxy { restUrl: string; grpcAddress: string; stop(): Promise<void>; errorLog: string }

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); }); });
}

function serverBlock(listen: string, pki: Pki, o: ProxyOptions, auth: boolean, location: string): string {
  const cert = o.wrongNameCert ? pki.wrongNameCert : pki.serverCert;
  const key = o.wrongNameCert ? pki.wrongNameKey : pki.serverKey;
  return `
  server {
    listen ${listen};
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    ssl_protocols ${o.oldTls ? 'TLSv1 TLSv1.1 TLSv1.2' : 'TLSv1.2 TLSv1.3'};
    ${o.oldTls ? 'ssl_ciphers DEFAULT@SECLEVEL=0;' : ''}
    ${auth && o.auth === 'mtls' ? `ssl_client_certificate ${pki.ca};\n    ssl_verify_client on;\n    ssl_verify_depth 1;` : ''}
    client_max_body_size 1G;
    location / {
      ${auth && o.auth === 'token' ? `if ($http_authorization != "Bearer ${o.token}") { return 401; }` : ''}
      ${location}
    }
    ${o.adminOpen && location.startsWith('proxy_pass') ? `location /v1/ {
      ${location}
    }` : ''}
  }`;
}

export async function startProxy(pki: Pki, o: ProxyOptions): Promise<Proxy> {
  const dir = mkdtempSync(join(tmpdir(), 'ovms-validate-nginx-'));
  chmodSync(dir, 0o755);
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  const [rest, grpc] = [await freePort(), await freePort()];
  const conf = `
user root;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  ${serverBlock(`127.0.0.1:${grpc} ssl http2`, pki, o, !o.grpcWithoutAuth, `grpc_pass grpc://${o.backendGrpc};`)}
  ${serverBlock(`127.0.0.1:${rest} ssl`, pki, o, true, `proxy_pass http://${o.backendRest};\n      proxy_hide_header Access-Control-Allow-Origin;\n      proxy_hide_header Access-Control-Allow-Methods;\n      proxy_hide_header Access-Control-Allow-Headers;`)}
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const proc: ChildProcess = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const until = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((r) => { const c = createConnection({ host: '127.0.0.1', port: rest }, () => { c.end(); r(true); }).on('error', () => r(false)); });
    if (up) break;
    if (proc.exitCode !== null || Date.now() > until) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    restUrl: `https://127.0.0.1:${rest}`, grpcAddress: `127.0.0.1:${grpc}`, errorLog: join(dir, 'error.log'),
    stop: () => new Promise((resolve) => { if (proc.exitCode !== null) return resolve(); proc.once('exit', () => resolve()); proc.kill('SIGTERM'); }),
  };
}
