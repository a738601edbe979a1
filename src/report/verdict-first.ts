// What a reviewer reads first, in every format: the decision, the checks that fail, were waived,
// errored or warn (one line each), what was not covered and why (skips grouped by reason), and
// the identity of what was judged (target, image and digest, version, page edition, harness, run,
// who ran it and where). Details follow it in each writer.
import { skipGroups } from './decision.js';
import type { CheckResult, Report } from './schema.js';
import { isWaived, resultLine } from './summarize.js';

export interface Problem { id: string; verdict: 'fail' | 'error' | 'waived' | 'warn'; line: string }
export interface VerdictFirst {
  decision: string;
  status: Report['decision']['status'];
  problems: Problem[];
  notCovered: { reason: string; ids: string[] }[];
  identity: [string, string][];
}

const ORDER = { fail: 0, error: 1, waived: 2, warn: 3 } as const;

export function verdictFirst(r: Report): VerdictFirst {
  const t = r.target;
  const e = r.environment;
  const problems: Problem[] = r.checks
    .filter((c): c is CheckResult => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'warn')
    .map((c) => ({ id: c.id, verdict: isWaived(c) ? 'waived' as const : c.verdict as 'fail' | 'error' | 'warn', line: resultLine(c) }))
    .sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]);
  const digest = t.repoDigests[0] ?? t.imageId;
  const ci = e.runBy.ci;
  const identity: [string, string][] = [
    ['target', `${t.kind}: ${t.identity.statement}`],
    ...(t.image ? [['image', `${t.image}${digest ? ` (${digest})` : ''}`] as [string, string]] : []),
    ['server version', t.serverVersion ?? 'not reported'],
    // What the flag checks judged: read from the deployment, or only declared by the user.
    ...(t.serverArgs && t.serverArgsSource ? [['server arguments', `${t.serverArgs.join(' ') || '(none)'} (${t.serverArgsSource})`] as [string, string]] : []),
    ['security page edition', t.pageEdition ? `${t.pageEdition.edition} (${t.pageEdition.how})` : '-'],
    ['profile', r.profile],
    ['harness', `ovms-validate ${e.harness.version}${e.harness.commit ? ` (commit ${e.harness.commit.slice(0, 12)}${e.harness.dirty ? ', with local changes' : ''})` : ''}`],
    ['run', `${r.runId}, ${r.startedAt} to ${r.finishedAt} (${r.endReason})`],
    ['run by', `${e.runBy.user} on ${e.runBy.host}${ci ? `; ${ci.provider}${ci.url ? ` ${ci.url}` : ''}${ci.commit ? `, commit ${ci.commit.slice(0, 12)}` : ''}${ci.ref ? ` (${ci.ref})` : ''}` : ''}`],
  ];
  return { decision: r.decision.line, status: r.decision.status, problems, notCovered: skipGroups(r.checks), identity };
}
