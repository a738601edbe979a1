// The verdict of inference.classify-sample, apart from the I/O so it can be tested on its own.
import type { JsonValue } from '../report/json-value.js';
import { fail, pass, type Evidence, type Outcome } from './verdict.js';

export interface ClassifyObservation { transport: 'REST' | 'gRPC'; top: number | null; score: number | null; error: string | null }

export function judgeClassification(expectedClass: number, image: string, seen: ClassifyObservation[], context: string[]): Outcome {
  const items = [
    ...context,
    ...seen.map((s) => `${s.transport}: ${s.error ? `failed: ${s.error}` : `argmax ${s.top} (logit ${s.score?.toFixed(3)}), expected ${expectedClass}`}`),
  ];
  const evidence: Evidence = {
    items,
    observed: Object.fromEntries(seen.map((s): [string, JsonValue] => [s.transport, s.error ? { error: s.error } : { top: s.top, score: s.score }])),
    expected: { top: expectedClass },
  };
  const wrong = seen.filter((s) => s.error !== null || s.top !== expectedClass);
  if (seen.length > 0 && wrong.length === 0) return pass(`${image} classified as ${expectedClass} over ${seen.map((s) => s.transport).join(' and ')}`, evidence);
  return fail(`${image} not classified as ${expectedClass}: ${wrong.map((s) => `${s.transport} ${s.error ? 'failed' : `gave ${s.top}`}`).join(', ')}`, evidence);
}
