import { areaOf } from '../check-kit/entry.js';
import type { CheckResult, Report } from './schema.js';
import { isWaived, resultLine } from './summarize.js';

// Characters XML 1.0 does not allow are dropped, the rest escaped.
export function escapeXml(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const attr = (name: string, value: string | number): string => `${name}="${escapeXml(String(value))}"`;

function evidenceText(c: CheckResult): string {
  if (!c.evidence) return resultLine(c);
  return [resultLine(c), ...c.evidence.items.map((i) => `- ${i}`)].join('\n');
}

function testcase(c: CheckResult): string {
  const head = `    <testcase ${attr('name', c.id)} ${attr('classname', `ovms-validate.${areaOf(c.id)}`)} ${attr('time', (c.durationMs / 1000).toFixed(3))}>`;
  const props = [
    `        <property ${attr('name', 'verdict')} ${attr('value', c.verdict)}/>`,
    `        <property ${attr('name', 'title')} ${attr('value', c.title)}/>`,
    `        <property ${attr('name', 'clause')} ${attr('value', c.clause)}/>`,
    ...(c.evidence?.items ?? []).map((i) => `        <property ${attr('name', 'evidence')} ${attr('value', i)}/>`),
  ];
  const lines = [head, '      <properties>', ...props, '      </properties>'];
  // GitLab and Azure read only the element text (not properties): the evidence goes there too.
  // JUnit has no "warning": a warn (and a waived fail) is a <skipped> whose message begins with
  // WARN (WAIVED), which Jenkins, GitLab and Azure show as skipped / not executed, never as a green pass.
  if (c.verdict === 'skip') lines.push(`      <skipped ${attr('message', `SKIP: ${c.reason}`)}>${escapeXml(evidenceText(c))}</skipped>`);
  else if (c.verdict === 'warn') lines.push(`      <skipped ${attr('message', `WARN: ${c.summary}`)} type="warn">${escapeXml(`${evidenceText(c)}\nRemediation: ${c.remediation}`)}</skipped>`);
  else if (isWaived(c)) lines.push(`      <skipped ${attr('message', `WAIVED: ${resultLine(c)}`)} type="waived">${escapeXml(evidenceText(c))}</skipped>`);
  else if (c.verdict === 'fail') lines.push(`      <failure ${attr('message', resultLine(c))} type="fail">${escapeXml(`${evidenceText(c)}\nRemediation: ${c.remediation}`)}</failure>`);
  else if (c.verdict === 'error') lines.push(`      <error ${attr('message', c.reason)} type="error">${escapeXml(`${evidenceText(c)}\nRemediation: ${c.remediation}`)}</error>`);
  else lines.push(`      <system-out>${escapeXml(`PASS: ${evidenceText(c)}`)}</system-out>`);
  lines.push('    </testcase>');
  return lines.join('\n');
}

export function writeJunit(report: Report): string {
  const areas = [...new Set(report.checks.map((c) => areaOf(c.id)))];
  const suites = areas.map((area) => {
    const checks = report.checks.filter((c) => areaOf(c.id) === area);
    const count = (v: string): number => checks.filter((c) => (v === 'skip' ? c.verdict === 'skip' || c.verdict === 'warn' || isWaived(c) : v === 'fail' ? c.verdict === 'fail' && !isWaived(c) : c.verdict === v)).length;
    const time = checks.reduce((t, c) => t + c.durationMs, 0) / 1000;
    return [
      `  <testsuite ${attr('name', area)} ${attr('tests', checks.length)} ${attr('failures', count('fail'))} ${attr('errors', count('error'))} ${attr('skipped', count('skip'))} ${attr('time', time.toFixed(3))} ${attr('timestamp', report.startedAt)}>`,
      ...checks.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  const s = report.summary;
  return [
    `<!-- ${escapeXml(report.headline).replace(/--/g, '- -')} -->`,
    `<testsuites ${attr('name', report.headline)} ${attr('tests', report.checks.length)} ${attr('failures', s.fail)} ${attr('errors', s.error)} ${attr('skipped', s.skip + s.warn + s.waived)}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
