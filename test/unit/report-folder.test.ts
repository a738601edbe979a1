// The report folder holds only what the harness wrote: what it takes, what it refuses, the lock,
// leftovers of dead runs, and a write that fails. (Mount points and a full disk: test/integration.)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { closeReportFolder, commitReport, MARKER, openReportFolder } from '../../src/report/report-folder.js';

const root = (): string => mkdtempSync(join(tmpdir(), 'report-folder-'));
const open = (dir: string, protect: { path: string; what: string }[] = [], runId = 'aaaaaaaa') => openReportFolder(dir, { runId, where: '--report-dir', protect });
const write = (dir: string, files: Record<string, string>): void => { const f = open(dir); commitReport(f, files); closeReportFolder(f); };
/** A pid that is not running (the highest pid the kernel hands out is far below this). */
const DEAD = 2 ** 22 + 7;

describe('the report folder', () => {
  it('is created when absent, and gets the report files and a marker listing them', () => {
    const dir = join(root(), 'reports');
    write(dir, { 'report.json': '{}', 'summary.md': '# x' });
    expect(readdirSync(dir).sort()).toEqual([MARKER, 'report.json', 'summary.md']);
    expect(JSON.parse(readFileSync(join(dir, MARKER), 'utf8'))).toMatchObject({ tool: 'ovms-validate', runId: 'aaaaaaaa', files: ['report.json', 'summary.md'] });
  });

  it('replaces an earlier report of the harness as a whole (files the new run does not write go too)', () => {
    const dir = join(root(), 'reports');
    write(dir, { 'report.json': '{"old":1}', 'junit.xml': '<old/>' });
    write(dir, { 'report.json': '{"new":1}' });
    expect(readdirSync(dir).sort()).toEqual([MARKER, 'report.json']);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('{"new":1}');
  });

  it('takes a report folder of an earlier harness version (no marker: only report files and its report.json)', () => {
    const dir = join(root(), 'old');
    mkdirSync(dir);
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ tool: { name: 'ovms-validate', version: '0.1.0' } }));
    writeFileSync(join(dir, 'summary.md'), '# old');
    write(dir, { 'report.json': '{}' });
    expect(readdirSync(dir).sort()).toEqual([MARKER, 'report.json']);
  });

  it('refuses a folder holding files it did not write, and leaves them untouched', () => {
    const dir = join(root(), 'mine');
    mkdirSync(join(dir, 'notes'), { recursive: true });
    writeFileSync(join(dir, 'todo.txt'), 'keep me');
    expect(() => open(dir)).toThrow(/^--report-dir: '.*mine' holds files ovms-validate did not write \(notes\/, todo.txt\), and the report folder is replaced on every run; pass an empty or new folder$/);
    expect(readFileSync(join(dir, 'todo.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(dir).sort()).toEqual(['notes', 'todo.txt']);
    // A report.json that is not the harness's is not a report of it either.
    const other = join(root(), 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'report.json'), '{"tool":"something else"}');
    expect(() => open(other)).toThrow(/holds files ovms-validate did not write \(report.json\)/);
  });

  it('refuses an earlier report folder into which a person has put a file of their own', () => {
    const dir = join(root(), 'reports');
    write(dir, { 'report.json': '{}' });
    writeFileSync(join(dir, 'sign-off.pdf'), 'signed');
    expect(() => open(dir)).toThrow(/holds files ovms-validate did not write \(sign-off.pdf\)/);
  });

  it('a file placed into the folder while the run ran stays: the report is then written beside it, not swapped', () => {
    const dir = join(root(), 'reports');
    write(dir, { 'report.json': '{"old":1}' });
    const f = open(dir);
    writeFileSync(join(dir, 'late.txt'), 'mine');
    commitReport(f, { 'report.json': '{"new":1}' });
    closeReportFolder(f);
    expect(readdirSync(dir).sort()).toEqual([MARKER, 'late.txt', 'report.json']);
  });

  it('refuses a folder that is or contains the working directory or an input, before writing anything', () => {
    const r = root();
    const models = join(r, 'models');
    mkdirSync(join(models, 'resnet'), { recursive: true });
    expect(() => open(models, [{ path: models, what: 'the --models-dir folder' }])).toThrow(/^--report-dir: '.*models' is the --models-dir folder \(.*\), and the report folder is replaced on every run; pass a folder of its own/);
    expect(() => open(r, [{ path: join(models, 'resnet'), what: 'the working directory' }])).toThrow(/contains the working directory/);
    expect(() => open(r, [{ path: join(r, 'config.json'), what: 'the --config file' }])).toThrow(/contains the --config file/);
    expect(readdirSync(models)).toEqual(['resnet']);
  });

  it('refuses a path too long for the filesystem in one line', () => {
    expect(() => open(join(root(), 'x'.repeat(5000)))).toThrow(/is too long for a path/);
    let message = '';
    try { open(join(root(), 'x'.repeat(5000))); } catch (e) { message = (e as Error).message; }
    expect(message.length).toBeLessThan(300);
  });

  it('one run at a time: a live run\'s lock refuses a second one; a dead run\'s lock is taken over', () => {
    const dir = join(root(), 'reports');
    mkdirSync(dir);
    writeFileSync(join(dir, '.ovms-validate.lock'), `${hostname()}:${process.ppid}`);
    expect(() => open(dir)).toThrow(UsageError);
    expect(() => open(dir)).toThrow(new RegExp(`another ovms-validate run \\(${hostname()}:${process.ppid}\\) is writing its report into`));
    writeFileSync(join(dir, '.ovms-validate.lock'), `${hostname()}:${DEAD}`);
    const f = open(dir);
    expect(readFileSync(join(dir, '.ovms-validate.lock'), 'utf8')).toBe(`${hostname()}:${process.pid}`);
    closeReportFolder(f);
    expect(existsSync(join(dir, '.ovms-validate.lock'))).toBe(false);
  });

  it('removes the staging folders of dead runs, and leaves a live run\'s', () => {
    const r = root();
    const dir = join(r, 'reports');
    for (const [id, pid] of [['deadbeef', DEAD], ['0b0b0b0b', process.ppid]] as const) {
      mkdirSync(join(r, `.reports.ovms-validate-${id}`));
      writeFileSync(join(r, `.reports.ovms-validate-${id}`, '.owner'), `${hostname()}:${pid}`);
    }
    mkdirSync(join(r, '.reports.ovms-validate-cafecafe.old'));
    const f = open(dir);
    expect(readdirSync(r).sort()).toEqual(['.reports.ovms-validate-0b0b0b0b', '.reports.ovms-validate-aaaaaaaa', 'reports']);
    closeReportFolder(f);
  });

  it('a folder the run made and left empty (a refusal after it was opened) is removed again', () => {
    const dir = join(root(), 'reports');
    closeReportFolder(open(dir));
    expect(existsSync(dir)).toBe(false);
  });
});
