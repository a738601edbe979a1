// A run's report is one folder, swapped in as a whole: the files are written into a new folder
// beside the target folder, and only then does it take the target's place, so a reader never
// sees files of two runs. The staging folder is made (and so the target checked) before the run.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statfsSync, statSync, writeFileSync, accessSync, constants } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';
import type { Report } from './schema.js';
import { createHash } from 'node:crypto';
import { writeHtml } from './write-html.js';
import { writeJson } from './write-json.js';
import { writeJunit } from './write-junit.js';
import { writeMarkdown } from './write-markdown.js';
import { writeSarif } from './write-sarif.js';

import { REPORT_FILES, type ReportFormat } from './formats.js';

export interface RenderContext {
  /** The files to write besides report.json, which is always written (compare and the HTML's hash refer to it). */
  formats: readonly ReportFormat[];
  reportDir: string;
  /** The folder paths in SARIF are relative to (the repository the run was started in). */
  cwd: string;
  /** Applied to every file before report.json is hashed (credential values never reach a file). */
  redact: (text: string) => string;
}

/** A path relative to `cwd` when it lies inside, for SARIF's artifact locations. */
function inside(cwd: string, path: string): string | null {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : null;
}

export function renderReport(report: Report, ctx: RenderContext): Record<string, string> {
  const json = ctx.redact(writeJson(report));
  const files: Record<string, string> = { [REPORT_FILES.json]: json };
  const want = new Set(ctx.formats);
  if (want.has('junit')) files[REPORT_FILES.junit] = ctx.redact(writeJunit(report));
  if (want.has('markdown')) files[REPORT_FILES.markdown] = ctx.redact(writeMarkdown(report));
  if (want.has('html')) files[REPORT_FILES.html] = ctx.redact(writeHtml(report, createHash('sha256').update(json).digest('hex')));
  if (want.has('sarif')) {
    const config = report.environment.configFile ? inside(ctx.cwd, report.environment.configFile.path) : null;
    files[REPORT_FILES.sarif] = ctx.redact(writeSarif(report, { config, report: inside(ctx.cwd, join(ctx.reportDir, REPORT_FILES.json)) ?? REPORT_FILES.json }));
  }
  return files;
}

// statfs magic numbers of filesystems that hold no files of their own.
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x1cd1: 'devpts', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2',
  0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x73636673: 'securityfs', 0xcafe4a11: 'bpf', 0x6165676c: 'pstore',
};

/** The folder a run stages its report in, beside the report folder. */
export const stagingDir = (dir: string, runId: string): string => join(dirname(dir), `.${basename(dir)}.ovms-validate-${runId}`);

/**
 * Checks the report folder before anything runs, and makes the staging folder: `where` names the
 * option the folder came from. Problems with the user's value are usage errors, the rest environment.
 */
export function prepareReportDir(dir: string, runId: string, where: string): string {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${where}: '${dir}' is a file, not a folder; pass a folder (it is created if missing)`);
  const parent = dirname(dir);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new UsageError(`${where}: '${dir}' cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message} at ${parent}); pass a folder you can write`);
  }
  const fs = PSEUDO_FS[Number(statfsSync(parent).type)];
  if (fs) throw new UsageError(`${where}: '${dir}' is on ${fs}, a pseudo filesystem; pass a folder on a real filesystem`);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new UsageError(`${where}: '${dir}' is in ${parent}, which this user cannot write (read-only or no permission); pass a folder you can write`);
  }
  const staging = stagingDir(dir, runId);
  try {
    mkdirSync(staging);
    writeFileSync(join(staging, '.probe'), 'x');
    rmSync(join(staging, '.probe'));
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw new UsageError(`${where}: cannot write beside '${dir}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass a folder on a writable filesystem`);
  }
  return staging;
}

/**
 * Writes `files` into the staging folder and swaps it in for `dir`. When `dir` cannot be renamed
 * (a mount point), its old files are removed and the new ones moved in, one folder level only.
 */
export function swapInReport(dir: string, staging: string, files: Record<string, string>): string[] {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(staging, name), text);
  const old = `${staging}.old`;
  try {
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(staging, dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EBUSY' && code !== 'EXDEV' && code !== 'EPERM' && code !== 'EACCES') throw new EnvironmentError(`the report could not be moved into ${dir} (${code}); it is in ${staging}`);
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
    for (const f of readdirSync(staging)) renameSync(join(staging, f), join(dir, f));
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return Object.keys(files).map((n) => join(dir, n));
}
