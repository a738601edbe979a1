// What a check concludes. pass/fail/warn carry the evidence they judged; skip/error carry why.
import type { JsonValue } from '../report/json-value.js';

export interface Evidence {
  /** One line per thing judged, e.g. "touch /etc/x as 1000:1000: Read-only file system". */
  items: string[];
  observed: JsonValue;
  expected: JsonValue;
  truncated?: boolean;
}

export type Outcome =
  | { verdict: 'pass'; summary: string; evidence: Evidence }
  | { verdict: 'fail'; summary: string; evidence: Evidence }
  | { verdict: 'warn'; summary: string; evidence: Evidence }
  | { verdict: 'skip'; reason: string; evidence?: Evidence }
  | { verdict: 'error'; reason: string; evidence?: Evidence };

export type Verdict = Outcome['verdict'];

export const pass = (summary: string, evidence: Evidence): Outcome => ({ verdict: 'pass', summary, evidence });
export const fail = (summary: string, evidence: Evidence): Outcome => ({ verdict: 'fail', summary, evidence });
export const warn = (summary: string, evidence: Evidence): Outcome => ({ verdict: 'warn', summary, evidence });
export const skip = (reason: string, evidence?: Evidence): Outcome => (evidence ? { verdict: 'skip', reason, evidence } : { verdict: 'skip', reason });
export const error = (reason: string, evidence?: Evidence): Outcome => (evidence ? { verdict: 'error', reason, evidence } : { verdict: 'error', reason });

/** A property that is required fails when violated; a recommended one warns. */
export function judge(ok: boolean, requirement: 'required' | 'recommended', okSummary: string, badSummary: string, evidence: Evidence): Outcome {
  if (ok) return pass(okSummary, evidence);
  return requirement === 'required' ? fail(badSummary, evidence) : warn(badSummary, evidence);
}
