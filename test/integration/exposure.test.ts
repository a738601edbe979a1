// S2 against a real nginx (Debian's, 1.22) in front of the stand-in, as the OVMS nginx-mtls sample
// sets it up: client certificates or a bearer token; each misconfigured variant fails exactly its
// check, with what the unauthenticated or old-TLS client got in the evidence. And the stand-in
// alone, published on all interfaces.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/local-stand-in.js';
import { cleanExpectation, inAreas, runCli, standIn, verdicts as allVerdicts } from '../support/cli.js';
import { standInImage } from '../support/images.js';
import { startProxy, type Proxy, type ProxyOptions } from '../support/nginx.js';
import { makePki, type Pki } from '../support/pki.js';

const fixtures = fileURLToPath(new URL('../../fixtures/models', import.meta.url));
const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const verdicts = (r: Parameters<typeof allVerdicts>[0]) => Object.fromEntries(Object.entries(allVerdicts(r)).filter(([k]) => k.startsWith('exposure.') || k === 'inference.health'));
const item = (run: Awaited<ReturnType<typeof runCli>>, id: string): string => {
  const c = run.report!.checks.find((x) => x.id === id)!;
  return [c.verdict === 'skip' || c.verdict === 'error' ? c.reason : c.summary, ...(c.evidence?.items ?? [])].join('\n');
};
const ALL_PASS = {
  'exposure.bind-scope': 'skip', 'exposure.plaintext': 'pass', 'exposure.cors': 'pass', 'exposure.admin-endpoints': 'pass',
  // The backend has no API key (the proxy's token is the only credential) and serves no generative model; its flags are not known here.
  'exposure.api-key': 'warn', 'exposure.media-urls': 'skip',
  'exposure.proxy-tls': 'pass', 'exposure.proxy-auth': 'pass', 'exposure.proxy-bypass': 'pass', 'inference.health': 'pass',
};
const TOKEN = `canary-token-${process.pid}-9f3c`;
const names: string[] = [];
let pki: Pki;
let image: string;
let backend: { rest: string; grpc: string };
/** The server's own addresses as a deployment might publish them: nothing listens there unless a variant publishes it. */
let own: { rest: number; grpc: number };
let holders: Server[] = [];

function startBackend(name: string, publish: string[] = []): { rest: string; grpc: string } {
  names.push(name);
  docker('run', '-d', '--name', name, '--user', '1000:1000', '--read-only', '--tmpfs', '/tmp', '-v', `${fixtures}:/models:ro`, ...publish,
    image, '--model_path', '/models/resnet/', '--model_name', 'resnet', '--port', '9178', '--rest_port', '8000');
  const ip = docker('inspect', '-f', '{{.NetworkSettings.IPAddress}}', name);
  return { rest: `${ip}:8000`, grpc: `${ip}:9178` };
}

async function runBehind(o: Partial<ProxyOptions> & { auth: ProxyOptions['auth'] }, target = backend) {
  const proxy: Proxy = await startProxy(pki, { backendRest: target.rest, backendGrpc: target.grpc, token: TOKEN, ...o });
  try {
    const creds = o.auth === 'mtls' ? ['--cert', pki.clientCert, '--key', pki.clientKey] : ['--token-env', 'OVMS_TEST_PROXY_TOKEN'];
    return await runCli([
      '--target', 'remote', '--rest-url', proxy.restUrl, '--grpc-address', proxy.grpcAddress, '--tls', '--ca', pki.ca, ...creds,
      '--server-rest-url', `http://127.0.0.1:${own.rest}`, '--server-grpc-address', `127.0.0.1:${own.grpc}`, '--only', 'exposure,inference.health',
    ], { OVMS_TEST_PROXY_TOKEN: TOKEN });
  } finally {
    await proxy.stop();
  }
}

beforeAll(async () => {
  pki = makePki();
  image = await standInImage();
  own = { rest: await freePort(), grpc: await freePort() };
  // Held until a variant publishes there: a container of another test file must not take these ports meanwhile
  // (what connects is closed at once, so nothing answers, as where nothing listens).
  holders = await Promise.all([own.rest, own.grpc].map((port) => new Promise<Server>((resolve) => { const h = createServer((c) => c.destroy()).listen(port, '127.0.0.1', () => resolve(h)); })));
  backend = startBackend(`ovms-validate-behind-proxy-${process.pid}`);
  // Readiness of the backend: nginx answers 502 until it is up, so wait here.
  const until = Date.now() + 15_000;
  while (!docker('logs', names[0]!).includes('Server started') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}, 120_000);

afterAll(() => {
  for (const h of holders) h.close();
  for (const n of names) { try { docker('rm', '-f', n); } catch { /* gone */ } }
});

describe('behind a real nginx TLS proxy', { timeout: 120_000 }, () => {
  it('client certificates: every exposure check passes over REST and gRPC, with what each refused client got', async () => {
    const run = await runBehind({ auth: 'mtls' });
    expect(verdicts(run.report)).toEqual(ALL_PASS);
    const auth = item(run, 'exposure.proxy-auth');
    expect(auth).toContain('REST with no client certificate and no credential -> HTTP 400 "400 Bad Request No required SSL certificate was sent');
    expect(auth).toContain('REST with a client certificate from another CA -> HTTP 400 "400 Bad Request The SSL certificate error');
    expect(auth).toMatch(/gRPC with no client certificate and no credential -> gRPC INTERNAL "Received HTTP status code 400/);
    expect(auth).toContain('gRPC with the configured client certificate -> gRPC OK live=true');
    const tls = item(run, 'exposure.proxy-tls');
    expect(tls).toMatch(/REST https:\/\/127\.0\.0\.1:\d+: TLSv1 refused/);
    expect(tls).toMatch(/gRPC 127\.0\.0\.1:\d+: TLSv1\.2\.\.TLSv1\.3 accepted, TLSv1\.3, ALPN h2/);
    expect(run.report!.target.endpoints.grpc).toMatchObject({ transport: 'TLS', credential: 'client certificate', tls: { ca: pki.ca, clientCertificate: true } });
  });

  it('a bearer token: every exposure check passes, and the token is in no report file or line', async () => {
    const run = await runBehind({ auth: 'token' });
    expect(verdicts(run.report)).toEqual(ALL_PASS);
    expect(item(run, 'exposure.proxy-auth')).toContain('gRPC with a wrong token -> gRPC UNAUTHENTICATED');
    for (const f of readdirSync(run.reportDir)) expect(readFileSync(join(run.reportDir, f), 'utf8'), f).not.toContain(TOKEN);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it.each([
    ['TLS 1.0 and 1.1 accepted', { oldTls: true }, 'exposure.proxy-tls', /REST accepts TLSv1; REST accepts TLSv1\.1/],
    ['the gRPC route without authentication while REST has it', { grpcWithoutAuth: true }, 'exposure.proxy-auth', /gRPC serves a request with no client certificate and no credential/],
    ['a certificate that does not name the host', { wrongNameCert: true }, 'exposure.proxy-tls', /certificate does not name 127\.0\.0\.1/],
  ] as const)('%s fails exactly its check', async (_name, variant, id, summary) => {
    const run = await runBehind({ auth: 'mtls', ...variant });
    expect(verdicts(run.report)).toEqual({ ...ALL_PASS, [id]: 'fail' });
    expect(item(run, id)).toMatch(summary);
  });

  it('a proxy that passes /v1/ without the token fails exactly exposure.admin-endpoints, naming the config routes', async () => {
    const run = await runBehind({ auth: 'token', adminOpen: true });
    expect(verdicts(run.report), item(run, 'exposure.proxy-bypass')).toEqual({ ...ALL_PASS, 'exposure.admin-endpoints': 'fail' });
    expect(item(run, 'exposure.admin-endpoints')).toMatch(/the proxy lets anonymous clients reach GET \/v1\/config, POST \/v1\/config\/reload/);
    expect(item(run, 'exposure.admin-endpoints')).toMatch(/GET \/v3\/models \(the list of served models\) -> 401/);
  });

  it("the server's own port published beside the proxy fails exactly exposure.proxy-bypass", async () => {
    await Promise.all(holders.map((h) => new Promise((r) => h.close(r))));
    const published = startBackend(`ovms-validate-bypass-${process.pid}`, ['-p', `127.0.0.1:${own.grpc}:9178`, '-p', `127.0.0.1:${own.rest}:8000`]);
    await new Promise((r) => setTimeout(r, 1000));
    const run = await runBehind({ auth: 'mtls' }, published);
    expect(verdicts(run.report)).toEqual({ ...ALL_PASS, 'exposure.proxy-bypass': 'fail' });
    expect(item(run, 'exposure.proxy-bypass')).toMatch(/REST 127\.0\.0\.1:\d+ answered HTTP 200/);
  });
});

describe('the stand-in alone, published on all interfaces', { timeout: 120_000 }, () => {
  it('fails exposure.bind-scope naming the ports, and reports plaintext access', async () => {
    const name = `ovms-validate-everywhere-${process.pid}`;
    startBackend(name, ['-p', '9178', '-p', '8000']);
    await new Promise((r) => setTimeout(r, 1000));
    const run = await runCli(['--target', 'attach', '--container', name, '--only', 'exposure']);
    const v = verdicts(run.report);
    expect(v['exposure.bind-scope']).toBe('warn');
    expect(v['exposure.plaintext']).toBe('warn');
    expect(item(run, 'exposure.bind-scope')).toMatch(/gRPC port 9178 published on all interfaces \(0\.0\.0\.0:\d+, \[::\]:\d+\); REST port 8000 published on all interfaces/);
    expect(item(run, 'exposure.plaintext')).toMatch(/REST GET \/v2\/health\/live to 127\.0\.0\.1:\d+ in plaintext, no credential: HTTP 200 \(answered\)/);
    expect(item(run, 'exposure.plaintext')).toMatch(/gRPC ServerLive to 127\.0\.0\.1:\d+ in plaintext, no credential: gRPC OK live=true \(answered\)/);
  });
});

describe('the CORS header is read, not assumed', { timeout: 120_000 }, () => {
  it('fault cors-wildcard-off (no Access-Control-* headers) turns exposure.cors from warn to pass, and nothing else changes', async () => {
    // The fault changes the REST answers' headers: the exposure checks are the ones that read them.
    const run = await runCli(standIn('--user', '1000:1000', '--stand-in-faults', 'cors-wildcard-off', '--only', 'exposure'));
    expect(run.code, run.stderr).toBe(0);
    expect(inAreas(allVerdicts(run.report), ['exposure'])).toEqual(inAreas(cleanExpectation({ 'exposure.cors': 'pass' }), ['exposure']));
    expect(item(run, 'exposure.cors')).toContain('Access-Control-Allow-Origin: (none)');
  });
});
