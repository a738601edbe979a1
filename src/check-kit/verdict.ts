// What a check concludes. A judgement says whether the property holds; whether a missing property
// is a `fail` or a `warn` is the catalog's `requirement`, applied in one place (settle).
import type { Requirement } from './entry.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A configured limit drawn across a chart (a quota, a thread cap, a stream limit), in the y unit. */
export interface RefLine { name: string; value: number }

/** A picture of the measurements, for the HTML report: lines over time, or bars per category. Axis labels carry their unit. */
export type Chart =
  | { kind: 'line'; title: string; x: string; y: string; series: { name: string; points: [number, number][] }[]; refLines?: RefLine[] }
  | { kind: 'bars'; title: string; x?: string; y: string; categories: string[]; series: { name: string; values: number[] }[]; refLines?: RefLine[] };

/** A finding in a file of the user's (a manifest): where, in which object and container. */
export interface FindingLocation { file: string; line: number; object: string; container: string | null; level: 'fail' | 'warn'; message: string }

export interface Evidence {
  /** One line per thing judged, e.g. "write to /etc as 1000:1000: EROFS". */
  items: string[];
  locations?: FindingLocation[];
  observed: JsonValue;
  expected: JsonValue;
  truncated?: boolean;
  charts?: Chart[];
}

export type Outcome =
  | { verdict: 'pass'; summary: string; evidence: Evidence }
  | { verdict: 'fail'; summary: string; evidence: Evidence }
  | { verdict: 'warn'; summary: string; evidence: Evidence }
  | { verdict: 'skip'; reason: string; evidence?: Evidence }
  | { verdict: 'error'; reason: string; evidence?: Evidence };

export type Verdict = Outcome['verdict'];

/**
 * A judgement: `violated` = the property is missing (fail for a required check, warn for a
 * recommended one); `warn` = an observation a reviewer must see, or an inconclusive run.
 */
export type Judgement =
  | { verdict: 'pass'; summary: string; evidence: Evidence }
  | { verdict: 'violated'; summary: string; evidence: Evidence }
  | { verdict: 'warn'; summary: string; evidence: Evidence }
  | { verdict: 'skip'; reason: string; evidence?: Evidence }
  | { verdict: 'error'; reason: string; evidence?: Evidence };

export const pass = (summary: string, evidence: Evidence): Judgement => ({ verdict: 'pass', summary, evidence });
export const violated = (summary: string, evidence: Evidence): Judgement => ({ verdict: 'violated', summary, evidence });
export const warn = (summary: string, evidence: Evidence): Judgement => ({ verdict: 'warn', summary, evidence });
export const skip = (reason: string, evidence?: Evidence): Judgement => (evidence ? { verdict: 'skip', reason, evidence } : { verdict: 'skip', reason });
export const error = (reason: string, evidence?: Evidence): Judgement => (evidence ? { verdict: 'error', reason, evidence } : { verdict: 'error', reason });

/** The verdict of a judgement for a check of the given requirement. */
export function settle(j: Judgement, requirement: Requirement): Outcome {
  if (j.verdict !== 'violated') return j;
  return { verdict: requirement === 'required' ? 'fail' : 'warn', summary: j.summary, evidence: j.evidence };
}
