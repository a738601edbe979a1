// Judges every OVMS container found in the manifests with the static checks, and folds the
// per-container judgements into one outcome per check id (the worst wins), each finding kept with
// its file, line, object and container.
import { findCheck } from '../checks/index.js';
import type { CheckMeta } from '../check-kit/run-check.js';
import { settle, type FindingLocation, type Judgement } from '../check-kit/verdict.js';
import { chooseEdition, editionIncludes, editionOfClause, EDITIONS, LATEST_EDITION, type EditionChoice, type PageEdition } from '../ovms/page-editions.js';
import { STATIC_CHECKS, type StaticJudgement } from './static-checks.js';
import { exposureContext, findWorkloads, objectName, type Workload } from './workloads.js';
import type { SourcedObject } from './read-manifests.js';

export interface ManifestJudgement { workloads: Workload[]; results: Map<string, CheckMeta>; edition: EditionChoice }

const RANK = { pass: 0, warn: 1, violated: 2 } as const;

/** The release an image tag names (openvino/model_server:2025.3-gpu -> 2025.3), or null for latest and digests. */
export function imageRelease(image: string | undefined): string | null {
  return /:(20\d\d\.\d+)/.exec(image ?? '')?.[1] ?? null;
}

function outcome(id: string, per: { w: Workload; j: StaticJudgement }[], refs: string[]): CheckMeta {
  const entry = findCheck(id)!;
  const worst = per.reduce((a, b) => (RANK[b.j.verdict] > RANK[a.j.verdict] ? b : a));
  const where = (w: Workload): string => `${objectName(w.object)} container ${w.container}`;
  const locations: FindingLocation[] = per.flatMap(({ w, j }) => j.findings.map((f) => ({
    file: f.at.file, line: f.at.line, object: objectName(w.object), container: w.container,
    level: f.level === 'violated' && entry.requirement === 'required' ? 'fail' as const : 'warn' as const, message: f.message,
  })));
  const items = [
    'static: what the manifests ask for, not what runs',
    ...per.flatMap(({ w, j }) => [`${w.at.file}:${w.at.line} ${where(w)}: ${j.verdict === 'pass' ? 'pass' : j.verdict}: ${j.summary}`, ...j.items.map((i) => `  ${i}`), ...j.findings.map((f) => `  ${f.at.file}:${f.at.line} ${f.message}`)]),
    ...(refs.length ? [`the same property in generic checkers: ${refs.join('; ')}`] : []),
  ];
  const summary = per.length === 1 ? worst.j.summary : worst.j.verdict === 'pass' ? `${per.length} containers: ${worst.j.summary}` : `${where(worst.w)}: ${worst.j.summary}${per.filter((p) => p.j.verdict !== 'pass').length > 1 ? ` (and ${per.filter((p) => p.j.verdict !== 'pass').length - 1} more)` : ''}`;
  const evidence = { items, locations, observed: { containers: per.map(({ w, j }) => ({ object: objectName(w.object), container: w.container, verdict: j.verdict })) }, expected: { verdict: 'pass' } };
  const judgement: Judgement = { verdict: worst.j.verdict, summary, evidence };
  return { id, outcome: settle(judgement, entry.requirement), durationMs: 0, basis: 'static' };
}

export function judgeManifests(objects: readonly SourcedObject[], given: PageEdition | null): ManifestJudgement {
  const workloads = findWorkloads(objects);
  const ctx = exposureContext(objects);
  const releases = [...new Set(workloads.map((w) => imageRelease(w.c.image)))];
  // One edition for the run: the one the images name when they agree, else the latest.
  const one = releases.length === 1 ? releases[0]! : null;
  const edition = given || one ? chooseEdition(given, one) : { edition: LATEST_EDITION, how: `the images name no single release (${releases.map((r) => r ?? 'latest or a digest').join(', ') || 'none'}): judged by the latest edition, ${LATEST_EDITION}` };
  const results = new Map<string, CheckMeta>();
  for (const check of STATIC_CHECKS) {
    const entry = findCheck(check.id)!;
    const introduced = editionOfClause(entry.clause);
    if (!editionIncludes(edition.edition, introduced)) {
      results.set(check.id, { id: check.id, outcome: { verdict: 'skip', reason: `belongs to the security page edition ${introduced} (OVMS ${EDITIONS[introduced].firstRelease} and later); judged by ${edition.edition}: ${edition.how}` }, durationMs: 0, basis: 'static' });
      continue;
    }
    const per = workloads.map((w) => ({ w, j: check.judge(w, ctx) })).filter((x): x is { w: Workload; j: StaticJudgement } => x.j !== null);
    results.set(check.id, per.length
      ? outcome(check.id, per, check.refs)
      : { id: check.id, outcome: { verdict: 'skip', reason: 'does not apply to the OVMS containers found (nothing in them it judges)' }, durationMs: 0, basis: 'static' });
  }
  return { workloads, results, edition };
}
