// The one way a suite declares a check: one vitest test per check id. The outcome travels to the
// reporter in task.meta.check; fail and error also fail the vitest test, skip skips it.
import { inject, it, type TestContext } from 'vitest';
import type { RunContext } from '../run-context.js';
import { selectedChecks } from '../options.js';
import { describeCasualty, readCasualty, recordIfServerDied } from './casualty.js';
import { findCheck, inProfile, type CheckDefinition } from './catalog.js';
import { error as errorOutcome, skip as skipOutcome, type Outcome } from './verdict.js';

export interface CheckMeta { id: string; outcome: Outcome; durationMs: number }

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckMeta;
  }
}

export interface CheckContext {
  run: RunContext;
  def: CheckDefinition;
}

export interface CheckOptions {
  /** The check needs the main target up and ready; otherwise it is skipped naming the cause. */
  needsReadyServer?: boolean;
  /** Runs even after an earlier check took the server down (dos.recovery judges exactly that). */
  runsAfterCasualty?: boolean;
  timeoutMs?: number;
}

export class CheckFailed extends Error {}

function precondition(run: RunContext, def: CheckDefinition, opts: CheckOptions): string | undefined {
  const down = opts.needsReadyServer && !opts.runsAfterCasualty ? readCasualty(run.runId) : null;
  if (!selectedChecks(run.options, def.id)) return 'left out by --only/--exclude';
  if (!inProfile(def, run.options.profile)) return `runs in profile ${def.profile}; this run is ${run.options.profile}`;
  if (opts.needsReadyServer && !run.target.ready) {
    return `the server never became ready (${run.target.startError ?? 'unknown error'}); see hardening.starts-read-only`;
  }
  if (down) return describeCasualty(down);
  return undefined;
}

export function defineCheck(id: string, body: (ctx: CheckContext) => Promise<Outcome>, opts: CheckOptions = {}): void {
  const def = findCheck(id);
  if (!def) throw new Error(`check ${id} is not in the catalog (src/checks/catalog.ts)`);
  it(`${id}: ${def.title}`, { timeout: opts.timeoutMs ?? 120_000 }, async (t: TestContext) => {
    const run = inject('run');
    const t0 = performance.now();
    const blocked = precondition(run, def, opts);
    let outcome: Outcome;
    if (blocked) outcome = skipOutcome(blocked);
    else {
      try {
        outcome = await body({ run, def });
      } catch (e) {
        outcome = errorOutcome(`check could not reach a verdict: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    if (opts.needsReadyServer && !blocked && run.target.containerId) {
      const died = await recordIfServerDied(run.runId, run.target.containerId, id);
      if (died && (outcome.verdict === 'pass' || outcome.verdict === 'warn')) {
        outcome = errorOutcome(`${describeCasualty(died)}; this check's own outcome was ${outcome.verdict}`, outcome.evidence);
      }
    }
    t.task.meta.check = { id, outcome, durationMs: Math.round(performance.now() - t0) };
    const line = outcome.verdict === 'skip' || outcome.verdict === 'error' ? outcome.reason : outcome.summary;
    if (outcome.verdict !== 'skip') t.annotate(`${outcome.verdict}: ${line}`, outcome.verdict);
    if (outcome.verdict === 'skip') t.skip(line);
    if (outcome.verdict === 'fail' || outcome.verdict === 'error') throw new CheckFailed(`${outcome.verdict}: ${line}`);
  });
}
