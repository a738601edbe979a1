// The one way a suite declares a check: one vitest test per check id, in two parts. `observe`
// probes the target and returns plain data; `judge` is a pure function of that data (table-tested
// in test/unit). What the check needs from the target is declared, and a target without it makes
// the check skip naming what is missing. The outcome travels to the reporter in task.meta.check.
import { afterAll, inject, it, type TestContext } from 'vitest';
import { selectedChecks } from '../options.js';
import type { RunDescription } from '../check-kit/run-description.js';
import { TargetAccess } from '../targets/access.js';
import { describeCasualty, readCasualty, recordIfServerDied } from './casualty.js';
import { findCheck, runsIn, type CheckDefinition } from './catalog.js';
import { missing, type Need } from './needs.js';
import { error as errorJudgement, settle, skip as skipJudgement, type Judgement, type Outcome } from './verdict.js';

export interface CheckMeta { id: string; outcome: Outcome; durationMs: number }

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckMeta;
  }
}

/** Annotation type that carries progress lines from a check to the terminal. */
export const PROGRESS_ANNOTATION = 'ovms-validate:progress';

export interface CheckContext {
  run: RunDescription;
  target: TargetAccess;
  def: CheckDefinition;
  /** A line for the terminal while a long probe runs. */
  progress(line: string): void;
}

/** Thrown by observe to end the check with a skip or error instead of an observation. */
export class Stop extends Error {
  constructor(readonly judgement: Judgement) { super('stop'); }
}
export const stopSkip = (reason: string): never => { throw new Stop(skipJudgement(reason)); };
export const stopError = (reason: string): never => { throw new Stop(errorJudgement(reason)); };

export interface CheckSpec<O> {
  needs?: Need[];
  /** Needs the server up and ready (default: when it needs an endpoint or the container). */
  live?: boolean;
  /** Runs even after an earlier check took the server down (dos.recovery judges exactly that). */
  runsAfterCasualty?: boolean;
  timeoutMs?: number;
  observe(ctx: CheckContext): Promise<O>;
  judge(observation: O): Judgement;
}

export class CheckFailed extends Error {}

let shared: TargetAccess | undefined;

/** One TargetAccess per suite file (its clients close after the file). */
function access(run: RunDescription): TargetAccess {
  if (!shared) {
    shared = new TargetAccess(run);
    const mine = shared;
    afterAll(async () => { await mine.close(); if (shared === mine) shared = undefined; });
  }
  return shared;
}

function precondition(run: RunDescription, def: CheckDefinition, needs: Need[], live: boolean, afterCasualty: boolean): string | undefined {
  if (!selectedChecks(run.options, def.id)) return 'left out by --only/--exclude';
  if (!runsIn(def, run.options)) return `runs in profile ${def.profile}; this run is ${run.options.profile}`;
  for (const n of needs) {
    const why = missing(run.target, n);
    if (why) return why;
  }
  if (live && !run.target.startup.ready) return `the server never became ready (${run.target.startup.error ?? 'unknown error'}); see hardening.starts-read-only`;
  const down = live && !afterCasualty ? readCasualty(run.stateDir) : null;
  if (down) return describeCasualty(down);
  return undefined;
}

export function defineCheck<O>(id: string, spec: CheckSpec<O>): void {
  const def = findCheck(id);
  if (!def) throw new Error(`check ${id} is not in the catalog (src/checks/catalog.ts)`);
  const needs = spec.needs ?? [];
  const live = spec.live ?? needs.some((n) => n !== 'variant' && n !== 'command');
  // Registered at file load, so the suite's afterAll closes the clients after its last check.
  const run0 = inject('run');
  const target = access(run0);
  it(`${id}: ${def.title}`, { timeout: spec.timeoutMs ?? 120_000 }, async (t: TestContext) => {
    const run = inject('run');
    const t0 = performance.now();
    const pending: Promise<unknown>[] = [];
    const ctx: CheckContext = { run, target, def, progress: (line) => { pending.push(t.annotate(line, PROGRESS_ANNOTATION).catch(() => undefined)); } };
    const blocked = precondition(run, def, needs, live, spec.runsAfterCasualty ?? false);
    let judgement: Judgement;
    if (blocked) judgement = skipJudgement(blocked);
    else {
      try {
        judgement = spec.judge(await spec.observe(ctx));
      } catch (e) {
        judgement = e instanceof Stop ? e.judgement : errorJudgement(`check could not reach a verdict: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    let outcome = settle(judgement, def.requirement);
    if (live && !blocked) {
      const died = await recordIfServerDied(run.stateDir, target, id);
      if (died && (outcome.verdict === 'pass' || outcome.verdict === 'warn')) {
        outcome = { verdict: 'error', reason: `${describeCasualty(died)}; this check's own outcome was ${outcome.verdict}`, evidence: outcome.evidence };
      }
    }
    await Promise.all(pending);
    t.task.meta.check = { id, outcome, durationMs: Math.round(performance.now() - t0) };
    const line = outcome.verdict === 'skip' || outcome.verdict === 'error' ? outcome.reason : outcome.summary;
    if (outcome.verdict === 'skip') t.skip(line);
    if (outcome.verdict === 'fail' || outcome.verdict === 'error') throw new CheckFailed(`${outcome.verdict}: ${line}`);
  });
}
