// Turns collected outcomes into the Report: every planned check appears exactly once, in catalog
// order; a planned check that produced no outcome is an `error` naming why.
import { areaOf } from '../check-kit/entry.js';
import type { CheckMeta } from '../check-kit/run-check.js';
import { CATALOG } from '../checks/index.js';
import type { Profile } from '../options/resolved-options.js';
import { decide } from './decision.js';
import { headline } from './headline.js';
import { SCHEMA_VERSION, ReportSchema, type CheckResult, type Report, type TargetInfo } from './schema.js';
import { countVerdicts } from './summarize.js';
import { expired, waiverMatches, type Waiver } from '../waivers/waivers.js';

export interface BuildInput {
  toolVersion: string;
  runId: string;
  target: TargetInfo;
  profile: Profile;
  startedAt: Date;
  finishedAt: Date;
  endReason: Report['endReason'];
  environment: Report['environment'];
  planned: readonly string[];
  results: ReadonlyMap<string, CheckMeta>;
  problems: readonly string[];
  endDetail?: string;
  /** Exit code of an interrupted run (128 + its signal). */
  interruptedExit?: number;
  /** Reviewed exceptions (--waivers): a matching one turns a fail into waived, an expired one fails. */
  waivers?: readonly Waiver[];
}

export function buildReport(input: BuildInput): Report {
  const checks: CheckResult[] = [];
  for (const def of CATALOG) {
    if (!input.planned.includes(def.id)) continue;
    const base = { id: def.id, title: def.title, area: areaOf(def.id), clause: def.clause, requirement: def.requirement, remediation: def.remediation };
    const meta = input.results.get(def.id);
    if (!meta) {
      const why = input.problems[0] ?? (input.endReason === 'interrupted' ? 'the run was interrupted' : 'its suite did not run');
      checks.push({ ...base, verdict: 'error', reason: `no outcome: ${why}`, durationMs: 0 });
      continue;
    }
    const result = { ...base, ...meta.outcome, durationMs: meta.durationMs, ...(meta.basis ? { basis: meta.basis } : {}) } as CheckResult;
    const w = result.verdict === 'fail' ? (input.waivers ?? []).find((x) => waiverMatches(x, def.id, input.target)) : undefined;
    if (w) result.waiver = { reason: w.reason, owner: w.owner, expires: w.expires, file: w.file, line: w.line, expired: expired(w, input.finishedAt) };
    checks.push(result);
  }
  const decision = decide({ checks, endReason: input.endReason, endDetail: input.endDetail, target: input.target, ...(input.interruptedExit ? { interruptedExit: input.interruptedExit } : {}) });
  const report: Report = {
    headline: headline(input.target),
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'ovms-validate', version: input.toolVersion },
    runId: input.runId,
    decision,
    target: input.target,
    profile: input.profile,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    endReason: input.endReason,
    ...(input.endDetail ? { endDetail: input.endDetail } : {}),
    environment: input.environment,
    checks,
    summary: countVerdicts(checks),
  };
  return ReportSchema.parse(report);
}
