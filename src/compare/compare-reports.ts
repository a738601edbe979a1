// What changed between two runs: verdicts (a regression is a check that got worse) and measured
// figures that moved beyond a tolerance in the worse direction.
import type { CheckResult, Report } from '../report/schema.js';
import { deploymentIdentity } from '../report/target-info.js';
import { figuresOf, MIN_MEMORY_SAMPLES, MIN_SAMPLES, SLACK, type FigureRule } from './figures.js';

type Verdict = CheckResult['verdict'];
/** How bad a verdict is for a release; skip is outside the order (nothing was judged). */
const RANK: Record<Exclude<Verdict, 'skip'>, number> = { pass: 0, warn: 1, error: 2, fail: 3 };

export interface VerdictChange { id: string; from: Verdict | null; to: Verdict | null; kind: 'regression' | 'improvement' | 'changed'; now: string }
export interface FigureChange { id: string; path: string; what: string; unit: FigureRule['unit']; from: number; to: number; changePct: number; kind: 'regression' | 'improvement' | 'noise'; samples: string }
export interface StillFailing { id: string; verdict: 'fail' | 'error'; now: string }
export interface Comparison {
  old: { headline: string; startedAt: string; image: string | null; imageId: string | null };
  new: { headline: string; startedAt: string; image: string | null; imageId: string | null };
  tolerancePct: number;
  verdicts: VerdictChange[];
  /** Checks that fail (or error) in both runs: not regressions, but not to be forgotten. */
  stillFailing: StillFailing[];
  /** The new run itself is worse: it did not complete, or judged nothing. */
  runRegressions: string[];
  figures: FigureChange[];
  notes: string[];
  /** Why the two runs do not compare like for like (different targets or profiles), said before any verdict. */
  incomparable: string[];
  regressions: number;
}

const JUDGED: readonly (Verdict | null)[] = ['pass', 'warn', 'fail'];

/** A skip that says the new run did not plan the check (another profile, --only), not that it could not judge it. */
const NOT_PLANNED = /^runs in profile /;

function classify(from: Verdict | null, to: Verdict | null, toReason: string | null): VerdictChange['kind'] {
  if (to === 'skip' && toReason !== null && NOT_PLANNED.test(toReason)) return 'changed';
  if (from === null || to === null || from === 'skip' || to === 'skip') {
    // A new fail or error counts, and so does a check that was judged and now is not (skipped or
    // not run): a night that judged less is not a night that passed.
    if (to === 'fail' || to === 'error') return 'regression';
    return JUDGED.includes(from) ? 'regression' : 'changed';
  }
  return RANK[to] > RANK[from] ? 'regression' : 'improvement';
}

const line = (c: CheckResult): string => (c.verdict === 'skip' || c.verdict === 'error' ? c.reason : c.summary);

export function compareReports(oldR: Report, newR: Report, tolerancePct: number, strictFigures = false): Comparison {
  const oldBy = new Map(oldR.checks.map((c) => [c.id, c]));
  const newBy = new Map(newR.checks.map((c) => [c.id, c]));
  const ids = [...new Set([...oldR.checks.map((c) => c.id), ...newR.checks.map((c) => c.id)])];
  const verdicts: VerdictChange[] = [];
  const stillFailing: StillFailing[] = [];
  const figures: FigureChange[] = [];
  for (const id of ids) {
    const o = oldBy.get(id) ?? null;
    const n = newBy.get(id) ?? null;
    if (n && (n.verdict === 'fail' || n.verdict === 'error') && (o?.verdict === 'fail' || o?.verdict === 'error')) stillFailing.push({ id, verdict: n.verdict, now: line(n) });
    if (o?.verdict !== n?.verdict) verdicts.push({ id, from: o?.verdict ?? null, to: n?.verdict ?? null, kind: classify(o?.verdict ?? null, n?.verdict ?? null, n?.verdict === 'skip' ? n.reason : null), now: n ? line(n) : 'not in the new run' });
    if (!o?.evidence || !n?.evidence) continue;
    const before = new Map(figuresOf(id, o.evidence.observed).map((f) => [f.path, f]));
    for (const f of figuresOf(id, n.evidence.observed)) {
      const b = before.get(f.path);
      if (!b) continue;
      const delta = f.value - b.value;
      if (Math.abs(delta) <= SLACK[f.rule.unit]) continue;
      const pct = b.value === 0 ? Infinity : (delta / Math.abs(b.value)) * 100;
      if (Math.abs(pct) <= tolerancePct) continue;
      const worse = f.rule.better === 'higher' ? delta < 0 : delta > 0;
      const fewest = Math.min(b.samples ?? 1, f.samples ?? 1);
      const enough = fewest >= (f.rule.unit === 'bytes' ? MIN_MEMORY_SAMPLES : MIN_SAMPLES);
      const kind = !worse ? 'improvement' : enough || strictFigures ? 'regression' : 'noise';
      figures.push({ id, path: f.path, what: f.rule.what, unit: f.rule.unit, from: b.value, to: f.value, changePct: Math.round(pct * 10) / 10, kind, samples: `${b.samples ?? 1} -> ${f.samples ?? 1} sample(s)` });
    }
  }
  const notes: string[] = [];
  if (oldR.target.standIn !== newR.target.standIn) notes.push('one run validated the stand-in and the other did not: the verdicts judge different servers');
  if (oldR.target.imageId && newR.target.imageId && oldR.target.imageId !== newR.target.imageId) notes.push(`the image differs: ${oldR.target.imageId} -> ${newR.target.imageId}`);
  if (oldR.environment.hostCpus !== newR.environment.hostCpus) notes.push(`the host CPU count differs (${oldR.environment.hostCpus} -> ${newR.environment.hostCpus}): rates and latencies are not comparable`);
  const incomparable: string[] = [];
  const identity = (r: Report): string => `${r.target.kind} ${deploymentIdentity(r.target) ?? ''}`.trim();
  if (identity(oldR) !== identity(newR)) incomparable.push(`they judge different targets (${identity(oldR)} -> ${identity(newR)}): a verdict change may be the target's, not a regression of one deployment`);
  if (oldR.profile !== newR.profile) incomparable.push(`they ran different profiles (${oldR.profile} -> ${newR.profile}): checks of one profile only are not compared as regressions`);
  const runRegressions: string[] = [];
  if (newR.endReason !== 'completed') runRegressions.push(`the new run did not complete (${newR.endReason}${newR.endDetail ? `: ${newR.endDetail}` : ''})`);
  else if (newR.decision.status === 'incomplete' || !newR.target.ready) runRegressions.push(`the new run judged too little: ${newR.decision.line}`);
  const who = (r: Report) => ({ headline: r.headline, startedAt: r.startedAt, image: r.target.image, imageId: r.target.imageId });
  return {
    old: who(oldR), new: who(newR), tolerancePct, verdicts, stillFailing, runRegressions, figures, notes, incomparable,
    regressions: runRegressions.length + verdicts.filter((v) => v.kind === 'regression').length + figures.filter((f) => f.kind === 'regression').length,
  };
}
