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
}

/** What a writer gets besides the report: the context, and the SHA-256 of the report.json written. */
export interface WriterContext extends RenderContext { reportJsonSha256: string }

/** A path relative to `cwd` when it lies inside, for SARIF's artifact locations. */
function inside(cwd: string, path: string): string | null {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : null;
}

export const REPORT_WRITERS: Record<ReportFormat, (report: Report, ctx: WriterContext) => string> = {
  json: (r) => writeJson(r),
  junit: (r) => writeJunit(r),
  markdown: (r) => writeMarkdown(r),
  html: (r, ctx) => writeHtml(r, ctx.reportJsonSha256),
  sarif: (r, ctx) => writeSarif(r, {
    config: r.environment.configFile ? inside(ctx.cwd, r.environment.configFile.path) : null,
    report: inside(ctx.cwd, join(ctx.reportDir, REPORT_FILES.json)) ?? REPORT_FILES.json,
  }),
};

export function renderReport(report: Report, ctx: RenderContext): Record<string, string> {
  const json = ctx.redact(REPORT_WRITERS.json(report, { ...ctx, reportJsonSha256: '' }));
  const writer: WriterContext = { ...ctx, reportJsonSha256: createHash('sha256').update(json).digest('hex') };
  const files: Record<string, string> = { [REPORT_FILES.json]: json };
  for (const f of ctx.formats) if (f !== 'json') files[REPORT_FILES[f]] = ctx.redact(REPORT_WRITERS[f](report, writer));
  return files;
}
