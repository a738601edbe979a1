// Judgements of S4 (MediaPipe graphs validated only at request time): per-graph readiness, and
// per-graph sample outcomes with the graph that killed the server named.
import type { Evidence, Judgement } from '../checks/verdict.js';
import { pass, skip, violated } from '../checks/verdict.js';

export type GraphServer = { started: true; configPath: string; graphs: { name: string; style: string }[]; log: string[] } | { started: false; configPath: string; error: string; log: string[] };

export interface GraphReadiness { name: string; where: string; line: string; ready: boolean }

export function judgeGraphsReady(server: GraphServer, graphs: GraphReadiness[]): Judgement {
  if (!server.started) {
    return violated(`the server did not start with ${server.configPath}: ${server.error}`, { items: server.log.slice(-15).map((l) => `log: ${l}`), observed: { started: false }, expected: { started: true } });
  }
  if (graphs.length === 0) return skip(`${server.configPath} declares no MediaPipe graph`);
  const loadErrors = server.log.filter((l) => /Mediapipe|graph/i.test(l) && /error|fail/i.test(l)).slice(0, 10);
  const notReady = graphs.filter((g) => !g.ready).map((g) => g.name);
  const items = [`config ${server.configPath}: ${graphs.length} graphs (${server.graphs.map((g) => `${g.name} via ${g.style}`).join(', ')})`, ...graphs.map((g) => `${g.where}: ${g.line}`), ...loadErrors.map((l) => `log: ${l}`)];
  const evidence: Evidence = { items, observed: { notReady }, expected: { notReady: [] } };
  return notReady.length === 0 ? pass(`all ${graphs.length} graphs are ready`, evidence) : violated(`not ready: ${notReady.join(', ')}`, evidence);
}

export type GraphSample =
  | { name: string; where: string; state: 'ok' | 'failed'; lines: string[]; liveAfter: boolean; liveItems: string[]; exitCode?: number | null; logTail?: string[] }
  | { name: string; where: string; state: 'no sample'; problem: string }
  | { name: string; where: string; state: 'not tried'; killer: string };

export function judgeSamples(transport: 'REST' | 'gRPC', samples: GraphSample[]): Judgement {
  const items: string[] = [];
  const failed: string[] = [];
  const perGraph: Record<string, string> = {};
  for (const s of samples) {
    if (s.state === 'not tried') { items.push(`${s.name}: not tried, the server died during graph ${s.killer}`); perGraph[s.name] = 'not tried'; continue; }
    if (s.state === 'no sample') { items.push(`${s.where}: ${s.problem}; add a sample.json beside the graph (see README)`); failed.push(`${s.name} (no usable sample)`); perGraph[s.name] = 'no sample'; continue; }
    items.push(`${s.where}: ${s.lines.join('; ')}; afterwards ${s.liveAfter ? 'live' : `NOT live (${s.liveItems.join('; ')})`}`);
    perGraph[s.name] = s.state;
    if (s.state === 'failed') failed.push(`${s.name}: ${s.lines.find((l) => / -> (?!200|OK|infer_response)/.test(l)) ?? s.lines.find((l) => !/as expected|-> 200|-> OK/.test(l)) ?? 'unexpected output'}`);
    if (!s.liveAfter) {
      failed.push(`${s.name} killed the server (exit code ${s.exitCode ?? '?'})`);
      items.push(...(s.logTail ?? []).map((l) => `log: ${l}`));
    }
  }
  const evidence: Evidence = { items, observed: perGraph, expected: Object.fromEntries(samples.map((g) => [g.name, 'ok'])) };
  if (failed.length > 0) return violated(`${failed.length} graph(s) failed their ${transport} sample: ${failed.join(' | ')}`, evidence);
  return pass(`all ${samples.length} graphs answered their samples over ${transport}${transport === 'gRPC' ? ' (ModelStreamInfer too where the sample is a stream)' : ''} and the server stayed live`, evidence);
}
