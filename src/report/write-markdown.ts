import type { CheckResult, Report } from './schema.js';
import { firstLine } from './headline.js';
import { resultLine } from './summarize.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const MARK: Record<CheckResult['verdict'], string> = { pass: 'PASS', fail: '**FAIL**', warn: 'WARN', skip: 'skip', error: '**ERROR**' };

/** Findings located in the user's files (manifests): path:line, so a reviewer jumps to the line. */
function findings(report: Report): string[] {
  const rows = report.checks.flatMap((c) => (c.evidence?.locations ?? []).map((l) => `| \`${l.file}:${l.line}\` | \`${c.id}\` | ${l.level} | ${cell(`${l.object}${l.container ? ` (${l.container})` : ''}: ${l.message}`)} |`));
  return rows.length ? ['## Findings by line', '', '| where | check | level | finding |', '|---|---|---|---|', ...rows, ''] : [];
}

export function writeMarkdown(report: Report): string {
  const t = report.target;
  const s = report.summary;
  const out = [
    `# ${firstLine(report)}`,
    '',
    ...(t.standIn ? ['> This run validated the ovms-validate stand-in, not OpenVINO Model Server. It proves the harness, not a deployment.', ''] : []),
    `- profile: ${report.profile}; started ${report.startedAt}, finished ${report.finishedAt} (${report.endReason})`,
    `- identity: ${t.identity.statement} (${t.identity.source})`,
    `- security page edition: ${t.pageEdition ? `${t.pageEdition.edition} (${t.pageEdition.how})` : '-'}`,
    `- image: ${t.image ?? '-'} (${t.imageId ?? '-'}); server version: ${t.serverVersion ?? '-'}; user: ${t.user ?? '-'}`,
    `- endpoints: ${[t.endpoints.rest, t.endpoints.grpc].filter((e) => e !== null).map((e) => `${e!.address} (${e!.transport}, credential: ${e!.credential})`).join('; ') || 'none'}`,
    `- deployment: ${t.deployment ?? '-'}; readiness: ${t.readiness}`,
    `- command: \`${t.command.join(' ')}\`${t.serverArgsSource?.startsWith('declared') ? ` (${t.serverArgsSource})` : ''}`,
    ...(report.endDetail ? [`- ended without verdicts: ${report.endDetail}`] : []),
    `- result: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip, ${s.error} error`,
    '',
    ...(t.deviations.length > 0 ? [
      '## Differences from the page\'s command',
      '',
      'The security page\'s command, and what the run changed; verdicts on these flags judge the harness\'s choice, not the page\'s.',
      '',
      '| change | what | page | ran | why |',
      '|---|---|---|---|---|',
      ...t.deviations.map((d) => `| ${d.change} | ${cell(d.what)} | ${cell(d.page ?? '-')} | ${cell(d.ran ?? '-')} | ${cell(d.why)} |`),
      '',
    ] : []),
    '| check | verdict | what it found |',
    '|---|---|---|',
    ...report.checks.map((c) => `| \`${c.id}\`${c.basis === 'static' ? ' (static)' : ''} | ${MARK[c.verdict]} | ${cell(resultLine(c))} |`),
    '',
    ...findings(report),
    '## Evidence',
  ];
  for (const c of report.checks) {
    out.push('', `### ${c.id}: ${MARK[c.verdict]}`, '', `Proves: ${c.title} (${c.clause}, ${c.requirement}).`, '', resultLine(c));
    if (c.evidence) out.push('', ...c.evidence.items.map((i) => `- ${i}`));
    if (c.verdict === 'fail' || c.verdict === 'warn' || c.verdict === 'error') out.push('', `Remediation: ${c.remediation}`);
  }
  return out.join('\n') + '\n';
}
