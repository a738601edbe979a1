// The report's files as text: one writer per format in a registry keyed by the --format name (the
// compiler makes sure every format has one), each a pure function of the report. report.json is
// always written first: the HTML's sign-off block hashes it. src/report/report-folder.ts puts the
// files in place.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../version.js';
import { isAbsolute, join, relative, sep } from 'node:path';
import { REPORT_FILES, type ReportFormat } from '../options/resolved-options.js';
import type { Report } from './schema.js';
import { writeHtml } from './write-html.js';
import { writeJson } from './write-json.js';
import { writeJunit } from './write-junit.js';
import { writeMarkdown } from './write-markdown.js';
import { writeSarif } from './write-sarif.js';

export interface RenderContext {
  /** The files to write besides report.json, which is always written (compare and the HTML's hash refer to it). */
  formats: readonly ReportFormat[];
  reportDir: string;
  /** The folder paths in SARIF are relative to (the repository the run was started in). */
  cwd: string;
  /** Applied to every file before report.json is hashed (credential values never reach a file). */
  redact: (text: string) => string;
  /** Files the run writes besides the report's (server.log), already redacted: hashed with them. */
  extra?: Record<string, string>;
}

/** What a writer gets besides the report: the context, and the SHA-256 of each file written before it. */
export interface WriterContext extends RenderContext { hashes: Record<string, string> }

export const SUMS_FILE = 'SHA256SUMS';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A path relative to `cwd` when it lies inside, for SARIF's artifact locations. */
function inside(cwd: string, path: string): string | null {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : null;
}

/** The repository file that configured the deployment, with its line: the compose file's service, the --config file, the CI workflow. */
function deploymentFile(r: Report, cwd: string): { uri: string; line: number } | null {
  const d = r.target.deploymentFile;
  const compose = d ? inside(cwd, d.path) : null;
  if (compose) return { uri: compose, line: d!.line };
  const config = r.environment.configFile ? inside(cwd, r.environment.configFile.path) : null;
  if (config) return { uri: config, line: 1 };
  const wf = /(\.github\/workflows\/[^@]+)/.exec(r.environment.runBy.ci?.workflow ?? '')?.[1];
  return wf && existsSync(join(cwd, wf)) ? { uri: wf, line: 1 } : null;
}

/** The documented fallback: a file of the repository that exists, else report.json. */
export const FALLBACK_FILES = ['Dockerfile', 'compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml', 'package.json', 'README.md'];
function fallbackFile(ctx: RenderContext): string {
  return FALLBACK_FILES.find((f) => existsSync(join(ctx.cwd, f))) ?? inside(ctx.cwd, join(ctx.reportDir, REPORT_FILES.json)) ?? REPORT_FILES.json;
}

/** The project's homepage (package.json), for links to the README's check table; null when it has none. */
function homepage(): string | null {
  try { return (JSON.parse(readFileSync(new URL('package.json', PROJECT_ROOT), 'utf8')) as { homepage?: string }).homepage ?? null; } catch { return null; }
}

export const REPORT_WRITERS: Record<ReportFormat, (report: Report, ctx: WriterContext) => string> = {
  json: (r) => writeJson(r),
  junit: (r) => writeJunit(r),
  markdown: (r) => writeMarkdown(r),
  html: (r, ctx) => writeHtml(r, ctx.hashes),
  sarif: (r, ctx) => writeSarif(r, { deployment: deploymentFile(r, ctx.cwd), fallback: fallbackFile(ctx), helpBase: homepage() }),
};

/**
 * Every file of the report, redacted: report.json first, the other formats, then report.html
 * (which shows the SHA-256 of all the others), then, with it, SHA256SUMS over all of them.
 */
export function renderReport(report: Report, ctx: RenderContext): Record<string, string> {
  const files: Record<string, string> = { [REPORT_FILES.json]: ctx.redact(REPORT_WRITERS.json(report, { ...ctx, hashes: {} })) };
  const order = ctx.formats.filter((f) => f !== 'json' && f !== 'html');
  for (const f of order) files[REPORT_FILES[f]] = ctx.redact(REPORT_WRITERS[f](report, { ...ctx, hashes: {} }));
  for (const [name, text] of Object.entries(ctx.extra ?? {})) files[name] = text;
  const hashes = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, sha256(text)]));
  if (ctx.formats.includes('html')) {
    files[REPORT_FILES.html] = ctx.redact(REPORT_WRITERS.html(report, { ...ctx, hashes }));
    files[SUMS_FILE] = Object.entries(files).map(([name, text]) => `${sha256(text)}  ${name}`).join('\n') + '\n';
  }
  return files;
}
