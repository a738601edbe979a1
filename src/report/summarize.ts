import type { CheckResult, Report } from './schema.js';

export function countVerdicts(checks: readonly CheckResult[]): Report['summary'] {
  const s = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const c of checks) s[c.verdict]++;
  return s;
}

/** One line stating what a result concluded, for every writer. */
export function resultLine(c: CheckResult): string {
  return c.verdict === 'skip' || c.verdict === 'error' ? c.reason : c.summary;
}
