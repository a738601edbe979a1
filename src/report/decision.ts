// The decision a run's verdicts support, and its exit code, in one place. A run that judged
// nothing is not a pass: a server that never became ready fails the run whatever the selection,
// a remote server that never answered at all is an environment problem (exit 3), and a run whose checks
// all skipped exits non-zero saying why.
import type { CheckResult, Report, TargetInfo } from './schema.js';
import { isWaived } from './summarize.js';

export type DecisionStatus = 'ready' | 'not-ready' | 'incomplete';
export interface Decision { status: DecisionStatus; line: string; exitCode: number }

export interface DecisionInput {
  checks: readonly CheckResult[];
  endReason: Report['endReason'];
  endDetail?: string | undefined;
  target: Pick<TargetInfo, 'kind' | 'ready' | 'answered' | 'startupError' | 'restUrl' | 'grpcAddress'>;
  /** Exit code of an interrupted run (128 + the signal). */
  interruptedExit?: number;
}

const ids = (cs: readonly CheckResult[], max = 4): string => cs.slice(0, max).map((c) => c.id).join(', ') + (cs.length > max ? ` and ${cs.length - max} more` : '');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Skips grouped by their reason's gist (the text before the first parenthesis or semicolon). */
export function skipGroups(checks: readonly CheckResult[]): { reason: string; ids: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const c of checks) {
    if (c.verdict !== 'skip') continue;
    const gist = c.reason.split(/[;(]/)[0]!.trim();
    groups.set(gist, [...(groups.get(gist) ?? []), c.id]);
  }
  return [...groups].map(([reason, list]) => ({ reason, ids: list })).sort((a, b) => b.ids.length - a.ids.length);
}

export function decide(i: DecisionInput): Decision {
  const by = (v: CheckResult['verdict']): CheckResult[] => i.checks.filter((c) => c.verdict === v && !isWaived(c));
  const [fail, error, warn, pass, skip] = [by('fail'), by('error'), by('warn'), by('pass'), by('skip')];
  const waived = i.checks.filter(isWaived);
  const lapsed = fail.filter((c) => c.waiver?.expired);
  const failing = [
    fail.length ? `${plural(fail.length, 'required check')} fail${fail.length === 1 ? 's' : ''}: ${ids(fail)}${lapsed.length ? ` (the waiver of ${ids(lapsed)} expired)` : ''}` : '',
    error.length ? `${plural(error.length, 'check')} could not be judged (error): ${ids(error)}` : '',
  ].filter(Boolean).join('; ');
  if (i.endReason === 'interrupted') return { status: 'incomplete', line: `INCOMPLETE: ${i.endDetail ?? 'the run was interrupted'}`, exitCode: i.interruptedExit ?? 130 };
  if (i.endReason === 'environment') return { status: 'incomplete', line: `INCOMPLETE: ${i.endDetail ?? 'an environment problem ended the run'}`, exitCode: 3 };
  const t = i.target;
  if (!t.ready && !t.answered && t.kind === 'remote') {
    const where = [t.restUrl, t.grpcAddress].filter(Boolean).join(' / ') || 'no endpoint';
    return { status: 'incomplete', line: `INCOMPLETE: the server did not answer at ${where} (${t.startupError ?? 'no answer'}); check the address, --tls and --ca, and that the server runs`, exitCode: 3 };
  }
  if (!t.ready) {
    return { status: 'not-ready', line: `NOT READY: the server never became ready (${t.startupError ?? 'unknown'})${failing ? `; ${failing}` : ''}; ${plural(skip.length, 'check')} could not be judged`, exitCode: 1 };
  }
  if (fail.length + error.length > 0) return { status: 'not-ready', line: `NOT READY: ${failing}`, exitCode: 1 };
  if (pass.length + warn.length === 0) {
    const why = skipGroups(i.checks).slice(0, 2).map((g) => `${g.ids.length} x ${g.reason}`).join('; ');
    return { status: 'incomplete', line: `INCOMPLETE: no check reached a verdict${skip.length ? ` (${plural(skip.length, 'skip')}: ${why})` : ''}; nothing was judged, so nothing passed`, exitCode: 1 };
  }
  const warned = warn.length ? `, ${warn.length} warn (${ids(warn)})` : '';
  const excepted = waived.length ? `, ${waived.length} waived (${ids(waived)})` : '';
  return { status: 'ready', line: `READY: ${pass.length} pass${warned}${excepted}, ${skip.length} skipped; no required check fails${waived.length ? ' unwaived' : ''}`, exitCode: 0 };
}
