import type { CheckResult, Report } from './schema.js';

export function countVerdicts(checks: readonly CheckResult[]): Report['summary'] {
  const s = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0 };
  for (const c of checks) {
    if (isWaived(c)) s.waived++;
    else s[c.verdict]++;
  }
  return s;
}

/** A fail that a valid waiver covers: it does not block the decision, and every format says so. */
export const isWaived = (c: CheckResult): boolean => c.verdict === 'fail' && c.waiver !== undefined && !c.waiver.expired;

/** The verdict as a reader sees it: WAIVED for a waived fail. */
export const shownVerdict = (c: CheckResult): CheckResult['verdict'] | 'waived' => (isWaived(c) ? 'waived' : c.verdict);

/** One line stating what a result concluded, for every writer. */
export function resultLine(c: CheckResult): string {
  const line = c.verdict === 'skip' || c.verdict === 'error' ? c.reason : c.summary;
  if (!c.waiver) return line;
  const w = c.waiver;
  return w.expired
    ? `${line} (the waiver of ${w.owner}, "${w.reason}", expired on ${w.expires}: ${w.file}:${w.line})`
    : `waived until ${w.expires} by ${w.owner}: ${w.reason} (${w.file}:${w.line}); the finding: ${line}`;
}
