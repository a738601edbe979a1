// Runs one check against the target: skip (naming why) when the run does not plan it or the target
// lacks what it needs; otherwise observe, judge, and settle the judgement by the catalog's
// requirement. A check after which the server is gone is recorded as the cause, and later checks
// that need a live server skip naming it (one cause, one failure).
import { describeCasualty, readCasualty, recordIfServerDied } from './casualty.js';
import { Stop, type CheckContext } from './context.js';
import { needsLiveServer, type CheckDefinition } from './define-check.js';
import { missing } from './needs.js';
import { EDITIONS, editionIncludes, editionOfClause } from '../ovms/page-editions.js';
import type { RunDescription } from './run-description.js';
import { runsIn, selectedChecks } from './selection.js';
import { error as errorJudgement, settle, skip as skipJudgement, type Judgement, type Outcome } from './verdict.js';

/** What a run learns of one check: the outcome travels to the report as this. */
export interface CheckMeta { id: string; outcome: Outcome; durationMs: number; basis?: 'static' }

/** Why the check does not run here, or null when it does. */
export function precondition(run: RunDescription, def: CheckDefinition): string | null {
  if (!selectedChecks(run.options, def.id)) return 'left out by --only/--exclude';
  if (!runsIn(def, run.options)) return `runs in profile ${def.profile}; this run is ${run.options.profile}`;
  const introduced = editionOfClause(def.clause);
  if (!editionIncludes(run.pageEdition.edition, introduced)) {
    return `belongs to the security page edition ${introduced} (OVMS ${EDITIONS[introduced].firstRelease} and later); this server is judged by ${run.pageEdition.edition}: ${run.pageEdition.how}`;
  }
  for (const n of def.needs) {
    const why = missing(run.target, n);
    if (why) return why;
  }
  const live = needsLiveServer(def);
  if (live && !run.target.startup.ready) return `the server never became ready (${run.target.startup.error ?? 'unknown error'}); see hardening.starts-read-only`;
  const down = live && !def.runsAfterCasualty ? readCasualty(run.stateDir) : null;
  return down ? describeCasualty(down) : null;
}

export async function runCheck(def: CheckDefinition, ctx: CheckContext): Promise<CheckMeta> {
  const t0 = performance.now();
  const blocked = precondition(ctx.run, def);
  let judgement: Judgement;
  if (blocked) judgement = skipJudgement(blocked);
  else {
    try {
      judgement = def.judge(await def.observe(ctx));
    } catch (e) {
      judgement = e instanceof Stop ? e.judgement : errorJudgement(`check could not reach a verdict: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const command = ctx.run.target.command;
  if (command?.declared && judgement.evidence && [...def.needs, ...(def.uses ?? [])].includes('command')) {
    judgement.evidence.items.unshift(`server arguments declared by the user (--declared-server-args), not observed: ${command.serverArgs.join(' ')}`);
    const o = judgement.evidence.observed;
    judgement.evidence.observed = o !== null && typeof o === 'object' && !Array.isArray(o) ? { ...o, serverArgsDeclared: true } : { value: o, serverArgsDeclared: true };
  }
  let outcome = settle(judgement, def.requirement);
  if (needsLiveServer(def) && !blocked) {
    const died = await recordIfServerDied(ctx.run.stateDir, ctx.target, def.id);
    if (died && (outcome.verdict === 'pass' || outcome.verdict === 'warn')) {
      outcome = { verdict: 'error', reason: `${describeCasualty(died)}; this check's own outcome was ${outcome.verdict}`, evidence: outcome.evidence };
    }
  }
  return { id: def.id, outcome, durationMs: Math.round(performance.now() - t0) };
}
