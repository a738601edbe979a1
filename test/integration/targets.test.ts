// The target kinds judged as deployed: a stand-in started by hand and attached to, the same
// server reached as a remote, the page's own (gRPC-only) deployment, and identity: an image
// tagged like OVMS that is the stand-in is never reported as OVMS. No credential reaches a report.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanExpectation, FAST_LIMIT, runCli, standIn, verdicts } from '../support/cli.js';
import { standInImage } from '../support/images.js';

const fixtures = fileURLToPath(new URL('../../fixtures/models', import.meta.url));
const mediapipe = join(fixtures, 'mediapipe.json');
const name = `ovms-validate-byhand-${process.pid}`;
const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const HARDENING = ['image-user', 'default-uid', 'override-uid', 'read-only-rootfs', 'tmp-writable', 'starts-read-only', 'models-read-only', 'no-capabilities', 'no-new-privileges', 'privileged', 'runtime-socket'].map((c) => `hardening.${c}`);
const protocolOnly = (v: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('hardening.')));

describe('a stand-in started by hand', { timeout: 180_000 }, () => {
  let image: string;
  beforeAll(async () => {
    image = await standInImage();
    // The page's hardening flags, published on loopback, as an operator's script would start it.
    docker('run', '-d', '--name', name, '--user', '1000:1000', '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
      '-v', `${fixtures}:/models:ro`, '-p', '127.0.0.1::9178', '-p', '127.0.0.1::8000',
      '-e', `OVMS_STAND_IN_MAX_MESSAGE_BYTES=${FAST_LIMIT}`, '-e', 'OVMS_STAND_IN_INFER_MS=20',
      image, '--model_path', '/models/resnet/', '--model_name', 'resnet', '--port', '9178', '--rest_port', '8000',
      '--metrics_enable', '--metrics_list', 'ovms_current_requests,ovms_streams,ovms_infer_req_active,ovms_infer_req_queue_size');
  }, 120_000);
  afterAll(() => { try { docker('rm', '-f', name); } catch { /* gone */ } });

  it('attach: the hardening checks run on it, and the protocol verdicts are those of --target stand-in; it is never stopped or written into', async () => {
    const before = JSON.parse(docker('inspect', name))[0];
    const run = await runCli(['--target', 'attach', '--container', name, '--message-limit', String(FAST_LIMIT), '--mediapipe-config', mediapipe]);
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)).toEqual(cleanExpectation());
    expect(run.report!.target).toMatchObject({ kind: 'attach', standIn: true, deployment: 'as deployed', user: '1000:1000' });
    expect(run.report!.target.serverArgs).toEqual(['--model_path', '/models/resnet/', '--model_name', 'resnet', '--port', '9178', '--rest_port', '8000', '--metrics_enable', '--metrics_list', 'ovms_current_requests,ovms_streams,ovms_infer_req_active,ovms_infer_req_queue_size']);
    const rofs = run.report!.checks.find((c) => c.id === 'hardening.read-only-rootfs')!;
    expect(rofs.evidence!.items.join('\n')).toContain('no write attempts: the harness never writes into a container it did not start');
    const after = JSON.parse(docker('inspect', name))[0];
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(after.RestartCount).toBe(before.RestartCount);
  });

  it('remote on its endpoints: the protocol verdicts, and every container check skipped naming container access', async () => {
    const rest = docker('port', name, '8000/tcp');
    const grpc = docker('port', name, '9178/tcp');
    const run = await runCli(['--target', 'remote', '--rest-url', `http://${rest}`, '--grpc-address', grpc, '--message-limit', String(FAST_LIMIT), '--mediapipe-config', mediapipe]);
    const v = verdicts(run.report);
    for (const id of HARDENING) {
      expect(v[id], id).toBe('skip');
      const c = run.report!.checks.find((x) => x.id === id)!;
      expect(c.verdict === 'skip' && c.reason).toBe('needs container access, which a remote target does not offer');
    }
    // The configuration, the CPU count and the published ports are not visible from outside: those checks say so.
    const expected = protocolOnly(cleanExpectation({ 'dos.max-concurrent-streams': 'warn', 'dos.channel-args': 'skip', 'dos.memory-headroom': 'skip', 'exposure.media-urls': 'skip', 'exposure.bind-scope': 'skip', 'page.example-command': 'skip' }));
    // A remote target has no container to start the graphs in: it must serve them itself, and this one does not.
    for (const id of ['mediapipe.graphs-ready', 'mediapipe.sample-rest', 'mediapipe.sample-grpc']) delete expected[id];
    const got = protocolOnly(v);
    for (const id of ['mediapipe.graphs-ready', 'mediapipe.sample-rest', 'mediapipe.sample-grpc']) delete got[id];
    expect(got).toEqual(expected);
    const bind = run.report!.checks.find((x) => x.id === 'exposure.bind-scope')!;
    expect(bind.verdict === 'skip' && bind.reason).toMatch(/container/);
    expect(run.report!.headline).toContain('target remote: the ovms-validate STAND-IN, NOT OpenVINO Model Server');
    const c = run.report!.checks.find((x) => x.id === 'dos.channel-args')!;
    expect(c.verdict === 'skip' && c.reason).toContain("needs the server's command line");
  });

  it('remote with a token from a variable and basic credentials from a file: no credential in any file or line', async () => {
    const rest = docker('port', name, '8000/tcp');
    const grpc = docker('port', name, '9178/tcp');
    const canary = `canary-${process.pid}-s3cr3t-token`;
    const run = await runCli(['--target', 'remote', '--rest-url', `http://${rest}`, '--grpc-address', grpc, '--message-limit', String(FAST_LIMIT), '--token-env', 'OVMS_TEST_CANARY', '--only', 'inference,limits'], { OVMS_TEST_CANARY: canary });
    expect(run.code, run.stderr).toBe(0);
    expect(run.report!.target.endpoints.rest).toMatchObject({ transport: 'plaintext', credential: 'bearer token' });
    for (const f of readdirSync(run.reportDir)) expect(readFileSync(join(run.reportDir, f), 'utf8'), f).not.toContain(canary);
    expect(run.stdout + run.stderr).not.toContain(canary);
    const file = join(mkdtempSync(join(tmpdir(), 'cred-')), 'basic');
    writeFileSync(file, `user:${canary}\n`);
    const basic = await runCli(['--target', 'remote', '--rest-url', `http://${rest}`, '--basic-auth-file', file, '--only', 'inference.health']);
    expect(basic.report!.target.endpoints.rest).toMatchObject({ credential: 'basic credentials' });
    for (const f of readdirSync(basic.reportDir)) {
      const text = readFileSync(join(basic.reportDir, f), 'utf8');
      expect(text, f).not.toContain(canary);
      expect(text, f).not.toContain(Buffer.from(`user:${canary}`).toString('base64'));
    }
  });

  it('a credential is never taken from the command line', async () => {
    const run = await runCli(['--target', 'remote', '--rest-url', 'http://127.0.0.1:1', '--token-env', 'sk-live-abc:def']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must name an environment variable, not hold the credential itself');
  });
});

describe('deployments and identity', { timeout: 180_000 }, () => {
  it("--deployment page: the page's command, gRPC only; NoNewPrivs 0 by the page's flags alone; the REST checks skip", async () => {
    const run = await runCli(standIn('--user', '1000:1000', '--deployment', 'page'));
    const v = verdicts(run.report);
    expect(v['hardening.no-new-privileges']).toBe('warn');
    const nnp = run.report!.checks.find((c) => c.id === 'hardening.no-new-privileges')!;
    expect(nnp.evidence!.items.join('\n')).toContain('NoNewPrivs: 0');
    for (const id of ['limits.rest-oversize', 'mediapipe.sample-rest']) {
      const c = run.report!.checks.find((x) => x.id === id)!;
      expect(c.verdict === 'skip' && c.reason, id).toMatch(/needs the REST endpoint; th(is deployment|e graph server) has none \(gRPC only\)/);
    }
    expect(v['limits.grpc-oversize']).toBe('pass');
    expect(v['inference.health']).toBe('pass');
    expect(v['hardening.models-read-only']).toBe('warn');
    const t = run.report!.target;
    expect(t.deployment).toBe('page');
    expect(t.readiness).toBe('gRPC ServerReady');
    expect(t.endpoints.rest).toBeNull();
    const added = t.deviations.filter((d) => d.change === 'added').map((d) => d.what);
    expect(added).toContain('--port 9178');
    expect(added).not.toContain('--cap-drop ALL');
    expect(t.deviations.find((d) => d.what === '--port 9178')!.why).toContain('2026.3.0.stand-in: --port defaults to 0 since 2025.1');
    expect(readFileSync(join(run.reportDir, 'summary.md'), 'utf8')).toContain("## Differences from the page's command");
  });

  it('--deployment hardened lists every flag the harness added to the page\'s command', async () => {
    const run = await runCli(standIn('--user', '1000:1000', '--only', 'hardening.image-user'));
    const d = run.report!.target.deviations;
    const added = d.filter((x) => x.change === 'added').map((x) => x.what);
    for (const flag of ['--cap-drop ALL', '--security-opt no-new-privileges', '--port 9178', '--rest_port 8000', '-p 127.0.0.1::8000']) expect(added).toContain(flag);
    expect(d.find((x) => x.what === '-v (at /models)')).toMatchObject({ change: 'changed', page: '-v ${PWD}/models/:/models' });
    expect(d.find((x) => x.what === '-p (container port 9178)')).toMatchObject({ change: 'changed', page: '-p 9178:9178', ran: '-p 127.0.0.1::9178' });
  });

  it('the stand-in image tagged openvino/model_server:latest is not reported as OVMS', async (t) => {
    const image = await standInImage();
    let present = '';
    try { present = docker('image', 'inspect', '--format', '{{index .Config.Labels "io.ovms-validate.stand-in"}}', 'openvino/model_server:latest'); } catch { /* absent: ours to tag */ }
    if (present !== '' && present !== 'true') t.skip(); // a real OVMS image is there: never retag it
    docker('tag', image, 'openvino/model_server:latest');
    try {
      const run = await runCli(['--target', 'container', '--user', '1000:1000', '--models-dir', fixtures, '--only', 'hardening.image-user,inference.health']);
      expect(run.code, run.stderr).toBe(0);
      const head = run.stdout.split('\n')[0]!;
      expect(head).toContain('target container: the ovms-validate STAND-IN, NOT OpenVINO Model Server');
      expect(head).toContain('carries the label io.ovms-validate.stand-in=true');
      expect(run.report!.target.identity.isOvms).toBe(false);
      for (const f of ['summary.md', 'junit.xml', 'report.json']) expect(readFileSync(join(run.reportDir, f), 'utf8').split('\n')[0], f).toContain('NOT OpenVINO Model Server');
    } finally {
      docker('rmi', 'openvino/model_server:latest');
    }
  });
});
