// Deployments as their owners run them, started by hand with docker run and judged with --target
// attach (never touched: StartedAt, RestartCount and `docker diff` unchanged) or --target remote:
// privilege (--privileged, --cap-add, seccomp unconfined), the runtime's socket mounted rw or :ro
// with the socket's group added, the owner's secrets in its environment and labels, ports on all
// interfaces, the host network; and the DoS checks on servers without /metrics, without REST,
// with streams = 0, and on a model with a dynamic dimension.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_LIMIT, NIGHTLY_LIMIT, runCli, standIn, verdicts, type CliRun } from '../support/cli.js';
import { standInImage } from '../support/images.js';

const fixtures = fileURLToPath(new URL('../../fixtures/models', import.meta.url));
const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const SOCKET = '/var/run/docker.sock';
const prefix = `ovms-validate-owner-${process.pid}`;
const started: string[] = [];

/** A stand-in started the way an operator would, with the page's hardening flags and the owner's extras. */
function startByHand(name: string, flags: string[], serverArgs: string[] = []): string {
  const full = `${prefix}-${name}`;
  docker('run', '-d', '--name', full, '--user', '1000:1000', '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
    '-v', `${fixtures}:/models:ro`, '-e', `OVMS_STAND_IN_MAX_MESSAGE_BYTES=${FAST_LIMIT}`, ...flags,
    image, '--model_path', '/models/resnet/', '--model_name', 'resnet', ...serverArgs);
  started.push(full);
  return full;
}

const untouched = (name: string) => {
  const before = JSON.parse(docker('inspect', name))[0];
  const diff = docker('diff', name);
  return () => {
    const after = JSON.parse(docker('inspect', name))[0];
    expect(after.State.Running, name).toBe(true);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(after.RestartCount).toBe(before.RestartCount);
    expect(docker('diff', name)).toBe(diff);
  };
};

const check = (run: CliRun, id: string) => {
  const c = run.report!.checks.find((x) => x.id === id);
  if (!c) throw new Error(`${id} is not in the report`);
  return { verdict: c.verdict, text: [('summary' in c ? c.summary : c.reason) ?? '', ...(c.evidence?.items ?? [])].join('\n') };
};

/** Every file the run wrote, and its terminal output. */
const everything = (run: CliRun): [string, string][] => [
  ...readdirSync(run.reportDir).filter((f) => statSync(join(run.reportDir, f)).isFile()).map((f): [string, string] => [f, readFileSync(join(run.reportDir, f), 'utf8')]),
  ['stdout', run.stdout], ['stderr', run.stderr],
];

let image: string;
let socketGid: string;

beforeAll(async () => {
  image = await standInImage();
  socketGid = String(statSync(SOCKET).gid);
}, 120_000);
afterAll(() => { for (const n of started) { try { docker('rm', '-f', n); } catch { /* gone */ } } });

describe('privilege', { timeout: 180_000 }, () => {
  it('--privileged, --cap-add SYS_ADMIN and seccomp=unconfined each fail hardening.privileged, named as the owner set them', async () => {
    const name = startByHand('priv', ['--privileged', '--cap-add', 'SYS_ADMIN', '--security-opt', 'seccomp=unconfined', '-p', '127.0.0.1::9178'], ['--port', '9178']);
    const same = untouched(name);
    const run = await runCli(['--target', 'attach', '--container', name, '--only', 'hardening.privileged,hardening.no-capabilities,hardening.default-uid']);
    expect(run.code, run.stderr).toBe(1);
    const p = check(run, 'hardening.privileged');
    expect(p.verdict).toBe('fail');
    for (const flag of ['--privileged', '--cap-add SYS_ADMIN', 'seccomp=unconfined']) expect(p.text).toContain(flag);
    // The server runs as 1000: nothing effective or permitted, the bounding set shown in full.
    const caps = check(run, 'hardening.no-capabilities');
    expect(caps.text).toMatch(/CapBnd/);
    expect(run.report!.target.command.join(' ')).toContain('--privileged');
    expect(run.report!.target.command.join(' ')).toContain('--cap-add SYS_ADMIN');
    for (const d of run.report!.target.deviations.filter((x) => x.what.includes('privileged') || x.what.includes('SYS_ADMIN'))) expect(d.why).toBe("set by the container's owner");
    expect(run.report!.target.deviations.map((d) => d.what).join('\n')).toContain('--privileged');
    same();
  });

  it('only --cap-add NET_BIND_SERVICE (in Docker\'s default set) after --cap-drop ALL passes', async () => {
    const name = startByHand('capdefault', ['--cap-add', 'NET_BIND_SERVICE', '-p', '127.0.0.1::9178'], ['--port', '9178']);
    const run = await runCli(['--target', 'attach', '--container', name, '--only', 'hardening.privileged']);
    expect(check(run, 'hardening.privileged').verdict).toBe('pass');
  });
});

describe('runtime sockets', { timeout: 180_000 }, () => {
  it.each([
    ['read-write, with the socket\'s group added', ':rw', true, 'fail'],
    ['read-only, with the socket\'s group added', ':ro', true, 'fail'],
    ['read-write, the server\'s user outside its group', ':rw', false, 'warn'],
  ] as const)('the Docker socket mounted %s -> %s', async (_n, mode, group, verdict) => {
    const name = startByHand(`sock${mode.slice(1)}${group ? 'g' : ''}`, ['-v', `${SOCKET}:${SOCKET}${mode}`, ...(group ? ['--group-add', socketGid] : []), '-p', '127.0.0.1::9178'], ['--port', '9178']);
    const same = untouched(name);
    const run = await runCli(['--target', 'attach', '--container', name, '--only', 'hardening.runtime-socket']);
    const c = check(run, 'hardening.runtime-socket');
    expect(c.verdict).toBe(verdict);
    expect(c.text).toContain(`Docker API socket ${SOCKET}`);
    expect(c.text).toContain(mode === ':ro' ? 'read-only mount' : 'read-write mount');
    if (verdict === 'fail') expect(run.code).toBe(1);
    same();
  });
});

describe("the owner's secrets and ports", { timeout: 180_000 }, () => {
  it('values of the environment and labels never reach a file or the terminal; ports on all interfaces are shown and judged as published', async () => {
    const env = `envcanary-${process.pid}-AKIA`;
    const label = `labelcanary-${process.pid}-tok`;
    const name = startByHand('secrets', ['-e', `AWS_SECRET_ACCESS_KEY=${env}`, '-e', `API_KEY=${env}2`, '--label', `com.example.token=${label}`, '-p', '9178', '-p', '127.0.0.1::8000'],
      ['--port', '9178', '--rest_port', '8000', '--log_level', 'DEBUG']);
    const same = untouched(name);
    const run = await runCli(['--target', 'attach', '--container', name, '--only', 'hardening,exposure,inference.health', '--message-limit', String(FAST_LIMIT)]);
    for (const [file, text] of everything(run)) {
      for (const canary of [env, label]) expect(text, file).not.toContain(canary);
    }
    const command = run.report!.target.command.join(' ');
    expect(command).toContain('-e AWS_SECRET_ACCESS_KEY=[redacted]');
    expect(command).toMatch(/-p \d+:9178/);
    expect(command).toMatch(/-p 127\.0\.0\.1:\d+:8000/);
    const bind = check(run, 'exposure.bind-scope');
    expect(bind.verdict).toBe('warn');
    expect(bind.text).toContain('gRPC port 9178 published on all interfaces');
    same();
  });
});

describe('the host network', { timeout: 240_000 }, () => {
  it('is found from the sockets it listens on, becomes ready, its copies use their own ports, and 0.0.0.0 is every host interface', async () => {
    const base = 20000 + (process.pid % 20000);
    const [grpc, rest] = [base, base + 1];
    const name = startByHand('hostnet', ['--network', 'host'], ['--port', String(grpc), '--rest_port', String(rest)]);
    const same = untouched(name);
    const run = await runCli(['--target', 'attach', '--container', name, '--only', 'hardening.default-uid,hardening.privileged,exposure.bind-scope,inference.health']);
    expect(run.report!.target.ready, run.stdout).toBe(true);
    expect(run.report!.target.grpcAddress).toBe(`127.0.0.1:${grpc}`);
    const v = verdicts(run.report);
    expect(v['inference.health']).toBe('pass');
    expect(v['hardening.default-uid']).not.toBe('error');
    const bind = check(run, 'exposure.bind-scope');
    expect(bind.verdict).toBe('warn');
    expect(bind.text).toContain(`gRPC ${grpc} listening on 0.0.0.0 = every interface of the host`);
    same();
  });

  it('bound to a loopback list on the host network (the E2 page\'s comma form): every address listens, and bind-scope passes from the sockets', async () => {
    const base = 40000 + (process.pid % 20000);
    const name = startByHand('hostlo', ['--network', 'host'], ['--port', String(base), '--rest_port', String(base + 1), '--grpc_bind_address', '127.0.0.1,127.0.0.2', '--rest_bind_address', '127.0.0.1']);
    const run = await runCli(['--target', 'attach', '--container', name, '--only', 'exposure.bind-scope,inference.health']);
    expect(verdicts(run.report)).toMatchObject({ 'exposure.bind-scope': 'pass', 'inference.health': 'pass' });
    expect(check(run, 'exposure.bind-scope').text).toContain(`127.0.0.1:${base}`);
    expect(check(run, 'exposure.bind-scope').text).toContain(`127.0.0.2:${base}`);
  });
});

describe('the DoS checks where the deployment lacks something', { timeout: 300_000 }, () => {
  it('no /metrics: dos.streams-queued judges from completion waves, no check errors', async () => {
    const name = startByHand('nometrics', ['-e', 'OVMS_STAND_IN_INFER_MS=150', '-p', '127.0.0.1::9178', '-p', '127.0.0.1::8000'], ['--port', '9178', '--rest_port', '8000']);
    const run = await runCli(['--target', 'attach', '--container', name, '--only', 'dos', '--message-limit', String(FAST_LIMIT)]);
    const v = verdicts(run.report);
    expect(Object.values(v)).not.toContain('error');
    const q = check(run, 'dos.streams-queued');
    expect(q.verdict).toBe('pass');
    expect(q.text).toContain('/metrics did not answer 200');
    // The stand-in runs one inference at a time (nireq 1): waves of one, within the limit of 2.
    expect(q.text).toMatch(/in \d+ waves of at most [12] /);
  });

  it('remote, gRPC only, with the arguments declared: every nightly DoS check reaches a verdict, marked declared', async () => {
    const quota = 64 * 1024 * 1024;
    const args = ['--port', '9178', '--grpc_max_threads', '8', '--grpc_memory_quota', String(quota)];
    const name = `${prefix}-grpconly`;
    docker('run', '-d', '--name', name, '--user', '1000:1000', '--read-only', '--tmpfs', '/tmp', '-v', `${fixtures}:/models:ro`, '-p', '127.0.0.1::9178',
      '-e', `OVMS_STAND_IN_MAX_MESSAGE_BYTES=${NIGHTLY_LIMIT}`, '-e', 'OVMS_STAND_IN_INFER_MS=100', image, '--model_path', '/models/resnet/', '--model_name', 'resnet', ...args);
    started.push(name);
    const grpc = docker('port', name, '9178/tcp');
    // A secret-like argument (by its name) among the declared ones: its value is never written.
    const token = `hf-canary-${process.pid}-x`;
    const declared = [...args, '--hf_token', token].map((a) => `--declared-server-args=${a}`);
    const run = await runCli(['--target', 'remote', '--grpc-address', grpc, '--profile', 'nightly', '--only', 'dos', '--message-limit', String(NIGHTLY_LIMIT), ...declared]);
    const v = verdicts(run.report);
    expect(v).toMatchObject({
      'dos.channel-args': 'pass', 'dos.streams-queued': 'pass', 'dos.thread-cap': 'pass', 'dos.memory-quota': 'pass', 'dos.recovery': 'pass',
      // Not configured, and the CPU count of a remote server is not known.
      'dos.max-concurrent-streams': 'warn',
      // /metrics and a REST flood need the REST endpoint.
      'dos.inference-parallelism': 'skip', 'dos.rest-flood': 'skip',
    });
    expect(check(run, 'dos.thread-cap').text).toContain('declared by the user (--declared-server-args), not observed');
    expect(run.report!.target.serverArgsSource).toBe('declared by the user (--declared-server-args), not observed');
    expect(readFileSync(join(run.reportDir, 'summary.md'), 'utf8')).toContain('(declared by the user');
    for (const [file, text] of everything(run)) expect(text, file).not.toContain(token);
    expect(run.report!.target.serverArgs!.join(' ')).toContain('--hf_token [redacted]');
  });

  it('grpc.max_concurrent_streams=0: the server takes no call, and dos.channel-args fails from the declared command line', async () => {
    const name = `${prefix}-streams0`;
    docker('run', '-d', '--name', name, '--user', '1000:1000', '-v', `${fixtures}:/models:ro`, '-p', '127.0.0.1::9178', image,
      '--model_path', '/models/resnet/', '--model_name', 'resnet', '--port', '9178', '--grpc_channel_arguments', 'grpc.max_concurrent_streams=0');
    started.push(name);
    const grpc = docker('port', name, '9178/tcp');
    const run = await runCli(['--target', 'remote', '--grpc-address', grpc, '--only', 'dos,inference.health', '--declared-server-args=--grpc_channel_arguments', '--declared-server-args=grpc.max_concurrent_streams=0']);
    expect(run.code).toBe(1);
    expect(run.report!.target.ready).toBe(false);
    expect(run.report!.target.startupError).toContain('SETTINGS_MAX_CONCURRENT_STREAMS 0');
    const c = check(run, 'dos.channel-args');
    expect(c.verdict).toBe('fail');
    expect(c.text).toContain('grpc.max_concurrent_streams=0: every call hangs');
  });

  it('a model with a dynamic output dimension ([1,-1] announced, [1,1] answered) recovers in dos.recovery', async () => {
    const run = await runCli(standIn('--user', '1000:1000', '--model-name', 'dynamic', '--profile', 'nightly', '--only', 'dos.recovery,inference.health'));
    expect(verdicts(run.report)).toMatchObject({ 'dos.recovery': 'pass', 'inference.health': 'pass' });
    expect(check(run, 'dos.recovery').text).toContain('[1,1] (announced [1,-1]: -1 is any size), shape matches');
  });
});
