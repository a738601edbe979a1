import type { Report } from './schema.js';
import { firstLine } from './headline.js';
import { resultLine } from './summarize.js';

const TAG = { pass: 'PASS ', fail: 'FAIL ', warn: 'WARN ', skip: 'SKIP ', error: 'ERROR' } as const;

export function writeTerminal(report: Report, reportDir: string): string {
  const s = report.summary;
  return [
    firstLine(report),
    ...report.checks.map((c) => `  ${TAG[c.verdict]} ${c.id.padEnd(30)} ${resultLine(c)}`),
    `${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip, ${s.error} error  (report: ${reportDir})`,
    '',
  ].join('\n');
}
