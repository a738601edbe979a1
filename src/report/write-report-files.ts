// The report's files as text, one writer per format chosen; src/report/report-folder.ts puts them
// in place.
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Report } from './schema.js';
import { createHash } from 'node:crypto';
import { writeHtml } from './write-html.js';
import { writeJson } from './write-json.js';
import { writeJunit } from './write-junit.js';
import { writeMarkdown } from './write-markdown.js';
import { writeSarif } from './write-sarif.js';

import { REPORT_FILES, type ReportFormat } from '../options/resolved-options.js';

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
