// report.html: one self-contained page a reviewer signs (no script, no network at view time,
// readable printed). Verdicts grouped by the security page's statements and by profile, each
// check with its summary, evidence, charts and remediation; the deviations from the page's
// command; the environment; a sign-off block with the SHA-256 of report.json.
import { areaOf } from '../check-kit/entry.js';
import { findCheck } from '../checks/index.js';
import type { Chart } from '../check-kit/verdict.js';
import type { CheckResult, Report } from './schema.js';
import { resultLine } from './summarize.js';
import { esc, svgChart } from './svg-chart.js';

export const STATEMENTS: { id: string; title: string; areas: string[] }[] = [
  { id: 'S1', title: 'S1 - non-root user, read-only root filesystem, /tmp', areas: ['hardening', 'page'] },
  { id: 'S2', title: 'S2 - no access control or encryption in OVMS: isolation, proxy', areas: ['exposure'] },
  { id: 'S3', title: 'S3 - denial-of-service limits', areas: ['limits', 'dos'] },
  { id: 'S4', title: 'S4 - MediaPipe graphs validated only at request time', areas: ['mediapipe'] },
  { id: 'E2', title: 'E2 (OVMS 2025.4+) - the API key of the generative endpoints', areas: [] },
  { id: 'E3', title: 'E3 (OVMS 2026.0+) - image URLs only from allowed domains', areas: [] },
  { id: 'other', title: 'Inference sanity (not a statement of the page)', areas: ['inference'] },
];

const profileOf = (c: CheckResult): string => findCheck(c.id)?.profile ?? 'quick';
/** The statement a check verifies: the edition that added it (E2, E3), else the one of its area. */
export const statementOf = (c: Pick<CheckResult, 'id' | 'clause'>): string =>
  c.clause === 'E2' || c.clause === 'E3' ? c.clause : STATEMENTS.find((st) => st.areas.includes(areaOf(c.id)))?.id ?? 'other';
const MiB = 1048576;

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1b1b1b;max-width:1100px}
h1{font-size:20px;margin:0 0 8px} h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px} h3{font-size:15px;margin:0}
.banner{background:#fff3cd;border:1px solid #e0b300;padding:8px 12px;margin:8px 0}
table{border-collapse:collapse;margin:8px 0} td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}
.check{border:1px solid #ddd;border-left:6px solid #999;padding:8px 12px;margin:10px 0;break-inside:avoid}
.v-pass{border-left-color:#2e7d32}.v-fail{border-left-color:#c62828}.v-error{border-left-color:#6a1b9a}.v-warn{border-left-color:#ef6c00}.v-skip{border-left-color:#9e9e9e}
.badge{display:inline-block;font-weight:bold;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px;margin-right:6px}
.b-pass{background:#2e7d32}.b-fail{background:#c62828}.b-error{background:#6a1b9a}.b-warn{background:#ef6c00}.b-skip{background:#9e9e9e}
.meta{color:#555;font-size:12px;margin:2px 0 6px} ul.evidence{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;margin:4px 0;padding-left:18px}
.remediation{font-size:13px;margin-top:6px} .signoff td{height:28px;min-width:260px} code{font-size:12px;word-break:break-all}
svg.chart{max-width:100%;height:auto;margin:6px 0;border:1px solid #eee} svg text{font-size:11px;fill:#333} svg .chart-title{font-weight:bold;font-size:12px}
svg .grid{stroke:#eee} svg .axis{stroke:#999}
@media print{body{margin:0;max-width:none} .check{page-break-inside:avoid} h2{page-break-after:avoid}}
`;

function checkArticle(c: CheckResult, profile: string): string {
  const charts = (c.evidence?.charts ?? []).map(svgChart).join('\n');
  const items = (c.evidence?.items ?? []).map((i) => `<li>${esc(i)}</li>`).join('');
  const located = (c.evidence?.locations ?? []).map((l) => `<li><code>${esc(`${l.file}:${l.line}`)}</code> ${l.level}: ${esc(`${l.object}${l.container ? ` (${l.container})` : ''}: ${l.message}`)}</li>`).join('');
  const remediation = c.verdict === 'fail' || c.verdict === 'warn' || c.verdict === 'error' ? `<p class="remediation"><b>Remediation:</b> ${esc(c.remediation)}</p>` : '';
  return `<article class="check v-${c.verdict}" data-check="${esc(c.id)}" data-verdict="${c.verdict}">
<h3><span class="badge b-${c.verdict}">${c.verdict.toUpperCase()}</span>${esc(c.id)}</h3>
<p class="meta">proves ${esc(c.title)} &middot; ${esc(c.clause)}, ${c.requirement} &middot; profile ${profile} &middot; ${c.durationMs} ms</p>
<p>${c.basis === 'static' ? '<b>static</b> (what the manifest asks for, not what runs): ' : ''}${esc(resultLine(c))}</p>${located ? `<ul class="findings">${located}</ul>` : ''}${items ? `<ul class="evidence">${items}${c.evidence?.truncated ? '<li>(truncated)</li>' : ''}</ul>` : ''}${charts}${remediation}</article>`;
}

/** The message probes of the limits checks in one picture: bytes sent against the time of the answer. */
function oversizeChart(r: Report): Chart | null {
  const series = r.checks.filter((c) => areaOf(c.id) === 'limits').flatMap((c) => (c.evidence?.charts ?? []).filter((ch) => ch.kind === 'line' && ch.y === 'MiB sent').map((ch) => ({ name: c.id.replace('limits.', ''), points: (ch as Extract<Chart, { kind: 'line' }>).series[0]!.points })));
  return series.length ? { kind: 'line', title: 'message probes: MiB sent against the time of the answer (ms)', x: 'ms', y: 'MiB sent', series } : null;
}

function environment(r: Report): string {
  const e = r.environment;
  const t = r.target;
  const rows: [string, string][] = [
    ['harness', `ovms-validate ${e.harness.version}${e.harness.commit ? `, commit ${e.harness.commit}${e.harness.dirty ? ' (with local changes)' : ''}` : ''}; Node ${e.node}`],
    ['security page edition', t.pageEdition ? `${t.pageEdition.edition} (${t.pageEdition.how})` : '-'],
    ['image', `${t.image ?? '-'} (${t.imageId ?? '-'})${t.repoDigests.length ? `; digests ${t.repoDigests.join(', ')}` : '; no registry digest (built or loaded locally)'}`],
    ['server', `${t.identity.reportedName ?? '?'} ${t.identity.reportedVersion ?? ''} (${t.identity.source})`],
    ['command', (t.command.join(' ') || '-') + (t.serverArgsSource?.startsWith('declared') ? ` (${t.serverArgsSource})` : '')],
    ['endpoints', [t.endpoints.rest, t.endpoints.grpc].filter((x) => x !== null).map((x) => `${x!.address} (${x!.transport}, credential: ${x!.credential})`).join('; ') || '-'],
    ['Docker engine', e.dockerServerVersion ? `${e.dockerServerVersion} at ${e.dockerEndpoint}; ${e.engineCpus ?? '?'} CPUs, ${e.engineMemoryBytes ? `${(e.engineMemoryBytes / 1073741824).toFixed(1)} GiB` : '?'}` : 'none (remote target)'],
    ['host', `${e.host}: ${e.hostCpus} CPUs, ${(e.hostMemoryBytes / 1073741824).toFixed(1)} GiB`],
    ['config file', e.configFile ? `${e.configFile.path} (sha256 ${e.configFile.sha256})` : 'none'],
    ['run', `profile ${r.profile}; ${r.startedAt} to ${r.finishedAt} (${r.endReason}${r.endDetail ? `: ${r.endDetail}` : ''})`],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join('')}</table>`;
}

export function writeHtml(r: Report, reportJsonSha256: string): string {
  const s = r.summary;
  const t = r.target;
  const profiles = ['quick', 'nightly', 'acceptance'];
  const matrix = STATEMENTS.map((st) => {
    const checks = r.checks.filter((c) => statementOf(c) === st.id);
    if (checks.length === 0) return '';
    const cell = (p: string): string => {
      const in_ = checks.filter((c) => profileOf(c) === p);
      return in_.length ? ['pass', 'fail', 'warn', 'skip', 'error'].map((v) => { const n = in_.filter((c) => c.verdict === v).length; return n ? `${n} ${v}` : ''; }).filter(Boolean).join(', ') : '-';
    };
    return `<tr><th>${esc(st.title)}</th>${profiles.map((p) => `<td>${cell(p)}</td>`).join('')}</tr>`;
  }).join('');
  const sections = STATEMENTS.map((st) => {
    const checks = r.checks.filter((c) => statementOf(c) === st.id);
    if (checks.length === 0) return '';
    const byProfile = profiles.map((p) => checks.filter((c) => profileOf(c) === p)).filter((g) => g.length);
    return `<section id="${st.id}"><h2>${esc(st.title)}</h2>${byProfile.map((g) => g.map((c) => checkArticle(c, profileOf(c))).join('\n')).join('\n')}</section>`;
  }).join('\n');
  const over = oversizeChart(r);
  const deviations = t.deviations.length
    ? `<table><tr><th>change</th><th>what</th><th>the page</th><th>this run</th><th>why</th></tr>${t.deviations.map((d) => `<tr><td>${d.change}</td><td>${esc(d.what)}</td><td><code>${esc(d.page ?? '-')}</code></td><td><code>${esc(d.ran ?? '-')}</code></td><td>${esc(d.why)}</td></tr>`).join('')}</table>`
    : '<p>No differences from the page\'s command (or no command: a remote target).</p>';
  return `<!-- ${esc(r.headline).replace(/--/g, '- -')} -->
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(r.headline)}</title><style>${STYLE}</style></head>
<body>
<header><h1>${esc(r.headline)}</h1>
${t.standIn ? '<p class="banner">This run validated the ovms-validate stand-in, not OpenVINO Model Server. It proves the harness, not a deployment.</p>' : ''}
<p>${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip, ${s.error} error &middot; profile ${r.profile} &middot; ${esc(r.startedAt)} to ${esc(r.finishedAt)} (${r.endReason})</p></header>
<section id="signoff" class="signoff"><h2>Sign-off</h2>
<table><tr><th>Reviewer</th><td></td></tr><tr><th>Date</th><td></td></tr><tr><th>Decision</th><td>&#9744; accept &nbsp; &#9744; accept with the exceptions noted &nbsp; &#9744; reject</td></tr><tr><th>Notes</th><td></td></tr>
<tr><th>report.json SHA-256</th><td><code>${reportJsonSha256}</code></td></tr></table></section>
<section id="by-statement"><h2>Verdicts by statement and profile</h2><table><tr><th>statement</th>${profiles.map((p) => `<th>${p}</th>`).join('')}</tr>${matrix}</table></section>
${sections}
${over ? `<section id="message-probes"><h2>Message probes</h2>${svgChart(over)}<p class="meta">Each probe's bytes sent over time, then the wait for the answer; gRPC core answers only after the whole announced message (${(1073741824 / MiB).toFixed(0)} MiB + 1 by default).</p></section>` : ''}
<section id="deviations"><h2>Differences from the page's command</h2>${deviations}</section>
<section id="environment"><h2>Environment</h2>${environment(r)}</section>
</body></html>
`;
}
