// Judgements of the inference checks (health, metadata, classification, hostile requests): pure
// functions of what was asked and answered over whichever protocols the deployment has.
import { describeTensors, sameTensors, type ExpectedModel } from '../ovms/expected-models.js';
import type { Evidence, Judgement } from '../checks/verdict.js';
import { pass, skip, violated } from '../checks/verdict.js';
import type { JsonValue } from '../report/json-value.js';
import type { ProbeResult } from '../probes/bad-requests.js';
import type { TensorMeta } from '../protocol/rest-client.js';

/** A protocol's answers, or why the deployment has none. */
export type PerProtocol<T> = { REST: T | { absent: string }; gRPC: T | { absent: string } };
const present = <T extends object>(x: T | { absent: string }): x is T => !('absent' in x);

export interface HealthAnswers { lines: string[]; ok: boolean }

export function judgeHealth(o: PerProtocol<HealthAnswers>): Judgement {
  const asked = (['REST', 'gRPC'] as const).filter((p) => present(o[p]));
  const items = (['REST', 'gRPC'] as const).flatMap((p) => { const x = o[p]; return present(x) ? x.lines : [`${p}: ${x.absent}`]; });
  const evidence: Evidence = { items, observed: Object.fromEntries(asked.map((p) => [p, (o[p] as HealthAnswers).ok])), expected: Object.fromEntries(asked.map((p) => [p, true])) };
  if (asked.length === 0) return skip('the deployment has neither a REST nor a gRPC endpoint');
  const bad = asked.filter((p) => !(o[p] as HealthAnswers).ok);
  return bad.length === 0 ? pass(`live and ready over ${asked.join(' and ')}`, evidence) : violated(`not live and ready over ${bad.join(' and ')}`, evidence);
}

export interface MetadataAnswer { meta: { inputs: TensorMeta[]; outputs: TensorMeta[] } | null; line: string }

export function judgeModelMetadata(model: string, expected: ExpectedModel | undefined, known: string[], o: PerProtocol<MetadataAnswer>): Judgement {
  if (!expected) return skip(`no expected metadata is known for model ${model} (known: ${known.join(', ')})`);
  const asked = (['REST', 'gRPC'] as const).filter((p) => present(o[p]));
  const items = [
    `expected (${expected.source}): inputs ${describeTensors(expected.inputs)}; outputs ${describeTensors(expected.outputs)}`,
    ...(['REST', 'gRPC'] as const).map((p) => { const x = o[p]; return present(x) ? x.line : `${p}: ${x.absent}`; }),
  ];
  const matches = (m: MetadataAnswer['meta']): boolean => m !== null && sameTensors(m.inputs, expected.inputs) && sameTensors(m.outputs, expected.outputs);
  const observed = Object.fromEntries(asked.map((p): [string, JsonValue] => { const m = (o[p] as MetadataAnswer).meta; return [p, m ? { inputs: describeTensors(m.inputs), outputs: describeTensors(m.outputs) } : null]; }));
  const evidence: Evidence = { items, observed, expected: { inputs: describeTensors(expected.inputs), outputs: describeTensors(expected.outputs) } };
  if (asked.length === 0) return skip('the deployment has neither a REST nor a gRPC endpoint');
  if (asked.every((p) => matches((o[p] as MetadataAnswer).meta))) return pass(`${model} serves ${describeTensors(expected.inputs)} -> ${describeTensors(expected.outputs)} over ${asked.join(' and ')}`, evidence);
  return violated(`${model} metadata differs from what the deployment expects`, evidence);
}

export interface ClassifyObservation { transport: 'REST' | 'gRPC'; top: number | null; score: number | null; error: string | null }

export function judgeClassification(expectedClass: number, image: string, seen: ClassifyObservation[], context: string[]): Judgement {
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
  return violated(`${image} not classified as ${expectedClass}: ${wrong.map((s) => `${s.transport} ${s.error ? 'failed' : `gave ${s.top}`}`).join(', ') || 'nothing was asked'}`, evidence);
}

export interface BadRequestsObs { results: ProbeResult[]; absent: string[]; alive: { live: boolean; items: string[] } }

export function judgeBadRequests(o: BadRequestsObs): Judgement {
  const r = o.results;
  const items = [
    ...r.map((x) => `${x.ok ? 'ok  ' : 'BAD '} ${x.transport} ${x.name}: ${x.request} -> ${x.status} (expected ${x.expected}${x.derived ? ', derived from OVMS source, unverified' : ''})${x.message ? ` "${x.message.slice(0, 120)}"` : ''}`),
    ...o.absent,
    `afterwards: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { statuses: Object.fromEntries(r.map((x) => [`${x.transport} ${x.name}`, x.status])), liveAfterwards: o.alive.live },
    expected: { statuses: Object.fromEntries(r.map((x) => [`${x.transport} ${x.name}`, x.expected])), liveAfterwards: true },
  };
  const wrong = r.filter((x) => !x.ok);
  if (!o.alive.live) return violated(`the server is not live after the hostile requests (${wrong.map((x) => `${x.transport} ${x.name} -> ${x.status}`).join(', ') || 'every request was answered'})`, evidence);
  if (wrong.length > 0) return violated(`${wrong.length} of ${r.length} requests got an unexpected status: ${wrong.map((x) => `${x.transport} ${x.name} -> ${x.status} (expected ${x.expected})`).join('; ')}`, evidence);
  return pass(`${r.length} malformed or hostile requests got OVMS's client errors; live afterwards`, evidence);
}
