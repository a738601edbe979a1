// Runs the real ovms-validate command as a child process, the way a release engineer does.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/report/schema.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; reportDir: string; report: Report | null; pid: number; ms: number }

export async function runCli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'ovms-validate-report-'));
  const t0 = performance.now();
  // A CI job's own step summary is not the self-tests' to write into.
  const { GITHUB_STEP_SUMMARY: _ci, ...inherited } = process.env;
  // A subcommand takes its own options after its name.
  const argv = args[0] === 'compare' ? args : args[0] === 'manifests' ? [...args, '--report-dir', reportDir] : ['--report-dir', reportDir, ...args];
  const proc = spawn(process.execPath, [join(ROOT, 'scripts/ovms-validate.mjs'), ...argv], {
    cwd: ROOT, env: { ...inherited, ...env },
  });
  if (stdin !== undefined) proc.stdin.end(stdin);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  proc.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  // 'close', not 'exit': the output is read to its end before the run counts as over.
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => proc.on('close', (c, s) => resolve([c, s])));
  const ms = performance.now() - t0;
  const file = join(reportDir, 'report.json');
  const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Report) : null;
  return { code, signal, stdout, stderr, reportDir, report, pid: proc.pid!, ms };
}

/** `ovms-validate compare ...` as a child process. */
export async function runCompareCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'scripts/ovms-validate.mjs'), 'compare', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  proc.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const code = await new Promise<number | null>((resolve) => proc.on('close', (c) => resolve(c)));
  return { code, stdout, stderr };
}

export function verdicts(report: Report | null): Record<string, string> {
  return Object.fromEntries((report?.checks ?? []).map((c) => [c.id, c.verdict]));
}

/**
 * The verdicts of the given areas only. Fault runs select the areas a fault can reach (its own and
 * those that run after it, where a crash would show) with --only; the clean runs cover every check.
 */
export function inAreas(v: Record<string, string>, areas: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(v).filter(([id]) => areas.includes(id.split('.')[0]!)));
}

/** Self-tests lower the stand-in's message limit to 8 MiB (and expect it), so a quick run does not
 * stream 1 GiB; test/integration/limits-real-size.test.ts runs the real 1 GiB once. */
export const FAST_LIMIT = 8 * 1024 * 1024;

/** Nightly self-tests also lower the gRPC memory quota, so the quota probe moves megabytes: each
 * request must be 32 MiB or more (grpc-core-behaviour section 3), so their message limit is 48 MiB. */
export const FAST_QUOTA = 64 * 1024 * 1024;
export const NIGHTLY_LIMIT = 48 * 1024 * 1024;
export const NIGHTLY_DOS = ['--profile', 'nightly', '--message-limit', String(NIGHTLY_LIMIT), '--stand-in-message-limit', String(NIGHTLY_LIMIT), `--server-arg=--grpc_memory_quota`, `--server-arg=${FAST_QUOTA}`];
export const NOT_BUFFERING = 'limits.grpc-buffering';
export const NIGHTLY_PASS = {
  // limits.grpc-buffering is left out of the 8 MiB matrices (a few MiB drown in heap reuse); it is
  // judged on a fresh server and at the real 1 GiB (limits-faults, limits-real-size).
  'limits.grpc-at-limit': 'pass', 'limits.rest-at-limit': 'pass', 'dos.thread-cap': 'pass', 'dos.memory-quota': 'pass',
  'dos.inference-parallelism': 'pass', 'dos.rest-flood': 'pass', 'dos.recovery': 'pass',
  'hardening.cloud-storage-tmp': 'pass',
};

export function standIn(...extra: string[]): string[] {
  return ['--target', 'stand-in', '--message-limit', String(FAST_LIMIT), '--stand-in-message-limit', String(FAST_LIMIT), ...extra];
}

/** What the clean stand-in gets for every implemented check, with the given overrides. */
export function cleanExpectation(overrides: Record<string, string> = {}): Record<string, string> {
  const ids = ['image-user', 'default-uid', 'override-uid', 'read-only-rootfs', 'tmp-writable', 'starts-read-only', 'models-read-only', 'no-capabilities', 'no-new-privileges', 'privileged', 'runtime-socket'];
  return {
    ...Object.fromEntries(ids.map((i) => [`hardening.${i}`, 'pass'])),
    // The object-store check runs from nightly on (or with --model-repository).
    'hardening.cloud-storage-tmp': 'skip',
    // The stand-in reports 2026.3: judged by edition E3, whose example (an object store, --port 9000) starts it.
    'page.example-command': 'pass',
    // No API key is configured (warn), so there is none to keep secret (skip); image URLs are refused
    // (no --allowed_media_domains); the config, model list and metrics answer anyone (warn).
    'exposure.api-key': 'warn',
    'hardening.api-key-secrecy': 'skip',
    'hardening.env-secrets': 'pass',
    'exposure.media-urls': 'pass',
    'exposure.admin-endpoints': 'warn',
    // OVMS has no access control: a plaintext server answers (warn), its CORS default is * (warn);
    // the harness publishes on 127.0.0.1 (pass); no proxy in front (the proxy checks skip).
    'exposure.bind-scope': 'pass',
    'exposure.plaintext': 'warn',
    'exposure.cors': 'warn',
    'exposure.proxy-tls': 'skip',
    'exposure.proxy-auth': 'skip',
    'exposure.proxy-bypass': 'skip',
    'limits.grpc-oversize': 'pass',
    'limits.rest-oversize': 'pass',
    'limits.grpc-at-limit': 'skip',
    'limits.rest-at-limit': 'skip',
    'limits.grpc-buffering': 'skip',
    'dos.max-concurrent-streams': 'pass',
    'dos.streams-queued': 'pass',
    'dos.channel-args': 'pass',
    // The harness starts the server without a memory limit (the page sets none).
    'dos.memory-headroom': 'warn',
    'dos.thread-cap': 'skip',
    'dos.memory-quota': 'skip',
    'dos.inference-parallelism': 'skip',
    'dos.rest-flood': 'skip',
    'dos.recovery': 'skip',
    'mediapipe.graphs-ready': 'pass',
    'mediapipe.sample-rest': 'pass',
    'mediapipe.sample-grpc': 'pass',
    'inference.health': 'pass',
    'inference.model-metadata': 'pass',
    'inference.classify-sample': 'skip',
    'inference.bad-requests': 'pass',
    ...overrides,
  };
}
