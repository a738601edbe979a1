import type { Report } from './schema.js';
import { firstLine } from './headline.js';
import { resultLine, shownVerdict } from './summarize.js';
import { verdictFirst } from './verdict-first.js';

const TAG = { pass: 'PASS  ', fail: 'FAIL  ', warn: 'WARN  ', skip: 'SKIP  ', error: 'ERROR ', waived: 'WAIVED' } as const;

/** The terminal summary: the verdict first, then every check, then the counts and where the report is. */
export function writeTerminal(report: Report, reportDir: string): string {
  const s = report.summary;
  const v = verdictFirst(report);
  return [
    firstLine(report),
    ...v.problems.map((p) => `  ${TAG[p.verdict]} ${p.id}: ${p.line}`),
    ...v.notCovered.map((g) => `  not covered: ${g.ids.length} x ${g.reason}`),
    '',
    ...report.checks.map((c) => `  ${TAG[shownVerdict(c)]} ${c.id.padEnd(30)} ${resultLine(c)}`),
    `${s.pass} pass, ${s.fail} fail, ${s.waived} waived, ${s.warn} warn, ${s.skip} skip, ${s.error} error  (report: ${reportDir})`,
    '',
  ].join('\n');
}
