// summary.md (and the GitHub step summary): the verdict first (the decision, the checks that fail,
// were waived, errored or warn, what was not covered, what was judged), then the table of every
// check, findings by line, waivers, the differences from the page's command, and each check's
// evidence folded in a <details> block (GitHub renders it collapsed).
import type { CheckResult, Report } from './schema.js';
import { firstLine } from './headline.js';
import { isWaived, resultLine, shownVerdict } from './summarize.js';
import { verdictFirst } from './verdict-first.js';
import { mdCell, mdCode, mdText } from './markdown-text.js';

const MARK: Record<ReturnType<typeof shownVerdict>, string> = { pass: 'PASS', fail: '**FAIL**', warn: 'WARN', skip: 'skip', error: '**ERROR**', waived: 'WAIVED' };
const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Findings located in the user's files (manifests): path:line, so a reviewer jumps to the line. */
function findings(report: Report): string[] {
  const rows = report.checks.flatMap((c) => (c.evidence?.locations ?? []).map((l) => `| ${mdCode(`${l.file}:${l.line}`)} | \`${c.id}\` | ${l.level} | ${mdCell(`${l.object}${l.container ? ` (${l.container})` : ''}: ${l.message}`)} |`));
  return rows.length ? ['## Findings by line', '', '| where | check | level | finding |', '|---|---|---|---|', ...rows, ''] : [];
}

function waivers(report: Report): string[] {
  const rows = report.checks.filter((c) => c.waiver).map((c) => `| \`${c.id}\` | ${isWaived(c) ? 'applied' : '**EXPIRED**: the fail stands'} | ${mdCell(c.waiver!.reason)} | ${mdCell(c.waiver!.owner)} | ${mdCell(c.waiver!.expires)} | ${mdCode(`${c.waiver!.file}:${c.waiver!.line}`)} |`);
  return rows.length ? ['## Waivers', '', '| check | status | reason | owner | until | file |', '|---|---|---|---|---|---|', ...rows, ''] : [];
}

export interface MarkdownOptions {
  /** Evidence of which checks: all (summary.md) or only those that did not pass (the step summary, kept short). */
  evidence: 'all' | 'problems';
}

export function writeMarkdown(report: Report, o: MarkdownOptions = { evidence: 'all' }): string {
  const t = report.target;
  const s = report.summary;
  const v = verdictFirst(report);
  const out = [
    `# ${mdText(firstLine(report))}`,
    '',
    ...(t.standIn ? ['> This run validated the ovms-validate stand-in, not OpenVINO Model Server. It proves the harness, not a deployment.', ''] : []),
    `**${mdText(v.decision)}**`,
    '',
    ...(v.problems.length ? v.problems.map((p) => `- ${MARK[p.verdict]} \`${p.id}\`: ${mdText(p.line)}`) : ['- no check fails, errs or warns']),
    '',
    ...(v.notCovered.length ? ['Not covered:', '', ...v.notCovered.map((g) => `- ${g.ids.length} not judged: ${mdText(g.reason)} (${g.ids.join(', ')})`), ''] : []),
    '| judged | |',
    '|---|---|',
    ...v.identity.map(([k, val]) => `| ${k} | ${mdCell(val)} |`),
    `| result | ${s.pass} pass, ${s.fail} fail, ${s.waived} waived, ${s.warn} warn, ${s.skip} skip, ${s.error} error |`,
    ...(report.endDetail ? [`| ended without verdicts | ${mdCell(report.endDetail)} |`] : []),
    '',
    '## Checks',
    '',
    '| check | verdict | what it found |',
    '|---|---|---|',
    ...report.checks.map((c) => `| \`${c.id}\`${c.basis === 'static' ? ' (static)' : ''} | ${MARK[shownVerdict(c)]} | ${mdCell(resultLine(c))} |`),
    '',
    ...findings(report),
    ...waivers(report),
    ...(t.deviations.length > 0 ? [
      '## Differences from the page\'s command',
      '',
      `The security page's command, and what the run changed; verdicts on these flags judge the harness's choice, not the page's. Command: ${mdCode(t.command.join(' '))}${t.serverArgsSource?.startsWith('declared') ? ` (${mdText(t.serverArgsSource)})` : ''}`,
      '',
      '| change | what | page | ran | why |',
      '|---|---|---|---|---|',
      ...t.deviations.map((d) => `| ${d.change} | ${mdCell(d.what)} | ${mdCell(d.page ?? '-')} | ${mdCell(d.ran ?? '-')} | ${mdCell(d.why)} |`),
      '',
    ] : []),
    '## Evidence',
  ];
  const shown = (c: CheckResult): boolean => o.evidence === 'all' || (c.verdict !== 'pass' && c.verdict !== 'skip');
  for (const c of report.checks.filter(shown)) {
    const body = [`Proves: ${mdText(c.title)} (${c.clause}, ${c.requirement}).`, '', mdText(resultLine(c), true), ...(c.evidence ? ['', ...c.evidence.items.map((i) => `- ${mdText(i, true)}`)] : [])];
    if (c.verdict === 'fail' || c.verdict === 'warn' || c.verdict === 'error') body.push('', `Remediation: ${mdText(c.remediation)}`);
    out.push('', `<details><summary>${html(c.id)}: ${html(MARK[shownVerdict(c)].replace(/\*/g, ''))}</summary>`, '', ...body, '', '</details>');
  }
  if (o.evidence === 'problems') out.push('', `The evidence of every check is in summary.md and report.html of the report folder.`);
  return out.join('\n') + '\n';
}
