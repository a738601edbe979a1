// Writes every report file to temporary names first and renames them only when all are written,
// so an interrupted or failed write never leaves a half-written report.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from './schema.js';
import { writeJson } from './write-json.js';
import { writeJunit } from './write-junit.js';
import { writeMarkdown } from './write-markdown.js';

export const REPORT_FILES = { json: 'report.json', junit: 'junit.xml', markdown: 'summary.md' } as const;

export function renderReport(report: Report): Record<string, string> {
  return {
    [REPORT_FILES.json]: writeJson(report),
    [REPORT_FILES.junit]: writeJunit(report),
    [REPORT_FILES.markdown]: writeMarkdown(report),
  };
}

/** `extra` holds evidence files kept beside the report, e.g. the server log. */
export function writeReportFiles(dir: string, report: Report, extra: Record<string, string> = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const files = { ...renderReport(report), ...extra };
  const tmp = `.tmp-${process.pid}`;
  const written: string[] = [];
  try {
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name + tmp), text);
      written.push(name);
    }
    for (const name of written) renameSync(join(dir, name + tmp), join(dir, name));
  } catch (e) {
    for (const name of written) rmSync(join(dir, name + tmp), { force: true });
    throw e;
  }
  return Object.keys(files).map((n) => join(dir, n));
}
