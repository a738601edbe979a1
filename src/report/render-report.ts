// The report's files as text: one writer per format in a registry keyed by the --format name (the
// compiler makes sure every format has one), each a pure function of the report. report.json is
// always written first: the HTML's sign-off block hashes it. src/report/report-folder.ts puts the
// files in place.
import { createHash } from 'node:crypto';
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

export const REPORT_WRITERS: Record<ReportFormat, (report: Report, ctx: WriterContext) => string> = {
  json: (r) => writeJson(r),
  junit: (r) => writeJunit(r),
  markdown: (r) => writeMarkdown(r),
  html: (r, ctx) => writeHtml(r, ctx.hashes),
  sarif: (r, ctx) => writeSarif(r, {
    config: r.environment.configFile ? inside(ctx.cwd, r.environment.configFile.path) : null,
    report: inside(ctx.cwd, join(ctx.reportDir, REPORT_FILES.json)) ?? REPORT_FILES.json,
  }),
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
