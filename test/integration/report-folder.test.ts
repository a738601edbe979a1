// The whole harness and the report folder as CI lays it out: a bind-mounted folder, a tmpfs that
// fills up, a folder of the user's, and signals that reach only the npx wrapper, or kill it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, standIn } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUICK = standIn('--user', '1000:1000', '--only', 'hardening.image-user,inference.health');
const mounts: string[] = [];

function mount(args: string[], at: string): boolean {
  try {
    execFileSync('mount', [...args, at], { stdio: 'ignore' });
    mounts.push(at);
    return true;
  } catch {
    return false;
  }
}
afterAll(() => { for (const m of mounts.reverse()) execFileSync('umount', [m], { stdio: 'ignore' }); });

/** An earlier report in `dir`, as a run of the harness leaves it. */
function earlierReport(dir: string): void {
  writeFileSync(join(dir, '.ovms-validate-report.json'), JSON.stringify({ tool: 'ovms-validate', runId: '00000000', writtenAt: 'x', files: ['report.json', 'summary.md'] }));
  writeFileSync(join(dir, 'report.json'), JSON.stringify({ tool: { name: 'ovms-validate' }, endReason: 'completed', decision: { line: 'READY: an earlier run' } }));
  writeFileSync(join(dir, 'summary.md'), '# READY: an earlier run');
}

const runContainers = (runId: string): string => execFileSync('docker', ['ps', '-aq', '--filter', `label=io.ovms-validate.run=${runId}`], { encoding: 'utf8' }).trim();
/** Running, not a zombie (an exited process that no parent has reaped yet holds nothing). */
const alive = (pid: number): boolean => { try { return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] !== 'Z'; } catch { return false; } };
/** Every descendant of a process, from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try { parents.set(Number(d), Number(readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1])); } catch { /* gone */ }
  }
  const out: number[] = [];
  const walk = (p: number): void => { for (const [c, pp] of parents) if (pp === p) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

describe('a run that judged nothing is not a pass', { timeout: 120_000 }, () => {
  it('a server that dies at start fails the run even when --only leaves out hardening.starts-read-only', async () => {
    const run = await runCli(standIn('--user', '1000:1000', '--only', 'inference.health', '--model-path', '/models/nothere/', '--startup-timeout', '30'));
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(/^NOT READY: the server never became ready \(the server exited \(code 1\)/);
    expect(run.report!.decision).toMatchObject({ status: 'not-ready', exitCode: 1 });
    expect(run.report!.summary).toMatchObject({ pass: 0, fail: 0, warn: 0 });
  });
});

describe('report folders as CI lays them out', { timeout: 120_000 }, () => {
  it('a bind-mounted folder holding an earlier report is written in place, never emptied first', async ({ skip }) => {
    const source = mkdtempSync(join(tmpdir(), 'bind-src-'));
    const at = mkdtempSync(join(tmpdir(), 'bind-at-'));
    if (!mount(['--bind', source], at)) skip('mount is not permitted here');
    earlierReport(at);
    const run = await runCli([...QUICK, '--report-dir', at]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // What the bind mount shows is what its source holds: the new report, not the earlier one.
    expect(readdirSync(source).sort()).toEqual(['.ovms-validate-report.json', 'SHA256SUMS', 'junit.xml', 'report.html', 'report.json', 'report.sarif', 'server.log', 'summary.md']);
    expect(JSON.parse(readFileSync(join(source, 'report.json'), 'utf8')).decision.status).toBe('ready');
  });

  it('a tmpfs that fills up: exit 3 in one line, and no earlier verdict file left looking current', async ({ skip }) => {
    const at = mkdtempSync(join(tmpdir(), 'full-'));
    if (!mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs'], at)) skip('mount is not permitted here');
    earlierReport(at);
    const run = await runCli([...QUICK, '--report-dir', at]);
    expect(run.code, run.stderr).toBe(3);
    const errors = run.stderr.trim().split('\n').filter((l) => !l.startsWith('[ovms-validate]'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^ovms-validate: the report could not be written into .* \(ENOSPC: no space left on the device\)/);
    expect(existsSync(join(at, 'summary.md'))).toBe(false);
    if (existsSync(join(at, 'report.json'))) expect(JSON.parse(readFileSync(join(at, 'report.json'), 'utf8')).endReason).toBe('environment');
  });

  it('a folder holding the user\'s files, the working directory and the models folder are refused before anything starts', async () => {
    const mine = mkdtempSync(join(tmpdir(), 'mine-'));
    writeFileSync(join(mine, 'thesis.tex'), 'years of work');
    const a = await runCli([...QUICK, '--report-dir', mine]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('holds files ovms-validate did not write (thesis.tex)');
    expect(readdirSync(mine)).toEqual(['thesis.tex']);
    const cwd = await runCli([...QUICK, '--report-dir', '.']);
    expect(cwd.code).toBe(2);
    expect(cwd.stderr).toContain('is the working directory');
    const models = await runCli([...QUICK, '--models-dir', 'fixtures/models', '--report-dir', 'fixtures/models']);
    expect(models.code).toBe(2);
    expect(models.stderr).toContain('is the --models-dir folder');
    expect(existsSync(join(ROOT, 'fixtures/models/resnet/1'))).toBe(true);
    for (const r of [a, cwd, models]) expect(r.ms).toBeLessThan(5000);
  });

  it('a dead run\'s staging folder is removed by the next run into the same place; a live run\'s lock refuses a second run', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'staging-'));
    const dir = join(parent, 'reports');
    mkdirSync(join(parent, '.reports.ovms-validate-deadbeef'));
    writeFileSync(join(parent, '.reports.ovms-validate-deadbeef', '.owner'), `${execFileSync('hostname', { encoding: 'utf8' }).trim()}:${2 ** 22 + 7}`);
    const run = await runCli([...QUICK, '--report-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(parent)).toEqual(['reports']);
    writeFileSync(join(dir, '.ovms-validate.lock'), `${execFileSync('hostname', { encoding: 'utf8' }).trim()}:${process.pid}`);
    const second = await runCli([...QUICK, '--report-dir', dir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('another ovms-validate run');
  });
});

/** Starts `npx ovms-validate ...` in the project the way a user does, and waits for a line. */
async function npxRun(args: string[], until: string, command: string[] = ['npx']): Promise<{ proc: ChildProcess; stderr: () => string }> {
  const { GITHUB_STEP_SUMMARY: _ci, ...inherited } = process.env;
  const env = { ...inherited, PATH: `${dirname(process.execPath)}:${process.env['PATH']}` };
  const proc = spawn(command[0]!, [...command.slice(1), 'ovms-validate', ...args], { cwd: ROOT, env });
  let stderr = '';
  proc.stdout!.resume();
  await new Promise<void>((resolve, reject) => {
    proc.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); if (stderr.includes(until)) resolve(); });
    proc.on('exit', () => reject(new Error(`ended before "${until}": ${stderr}`)));
  });
  return { proc, stderr: () => stderr };
}
const exited = (p: ChildProcess): Promise<number | null> => (p.exitCode !== null ? Promise.resolve(p.exitCode) : new Promise((r) => p.on('exit', (c) => r(c))));
const reportOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { runId: string; endReason: string; endDetail?: string };

describe('stop when told, whichever process is told', { timeout: 180_000 }, () => {
  it('SIGTERM to the npx process alone: npx returns only after the containers are gone, and nothing of the run lives on', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'npx-term-')), 'reports');
    const { proc } = await npxRun([...standIn('--user', '1000:1000'), '--report-dir', dir], 'server ready in');
    const family = descendants(proc.pid!);
    expect(family.length).toBeGreaterThan(0);
    proc.kill('SIGTERM');
    const code = await exited(proc);
    expect(code).toBe(143);
    const report = reportOf(dir);
    expect(report).toMatchObject({ endReason: 'interrupted' });
    expect(runContainers(report.runId)).toBe('');
    expect(family.filter(alive).map((p) => { try { return readFileSync(`/proc/${p}/cmdline`, 'utf8'); } catch { return 'gone'; } })).toEqual([]);
  });

  it('timeout N npx ...: returns after the cleanup', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'npx-timeout-')), 'reports');
    const t0 = Date.now();
    const { proc } = await npxRun([...standIn('--user', '1000:1000', '--profile', 'nightly'), '--report-dir', dir], 'docker engine', ['timeout', '8', 'npx']);
    const code = await exited(proc);
    expect(code).toBe(124);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(8_000);
    const report = reportOf(dir);
    expect(report.endReason).toBe('interrupted');
    expect(runContainers(report.runId)).toBe('');
  });

  it('npx killed outright (kill -9): the harness sees its parent gone, removes its containers and writes that it was interrupted', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'npx-kill-')), 'reports');
    const { proc } = await npxRun([...standIn('--user', '1000:1000'), '--report-dir', dir], 'server ready in');
    const family = descendants(proc.pid!);
    proc.kill('SIGKILL');
    const deadline = Date.now() + 60_000;
    while (family.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(family.filter(alive)).toEqual([]);
    const report = reportOf(dir);
    expect(report.endReason).toBe('interrupted');
    expect(report.endDetail).toContain('its parent process ended');
    expect(runContainers(report.runId)).toBe('');
  });
});
