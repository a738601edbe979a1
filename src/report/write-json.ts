import type { Report } from './schema.js';

/** JSON with `headline` as the first key on the first line, so the file opens with the target. */
export function writeJson(report: Report): string {
  const { headline, ...rest } = report;
  const body = JSON.stringify(rest, null, 2);
  return `{ "headline": ${JSON.stringify(headline)},\n${body.slice(2)}\n`;
}
