// report.html: one self-contained page a reviewer signs (no script, no network at view time,
// readable at any width and printed). It opens with the verdict: the decision, the checks that
// fail, were waived or warn, what was not covered and why, and what was judged; then the
// sign-off block (waivers, the SHA-256 of every file the run wrote); then every check by the
// page's statements, the differences from the page's command and the environment. Every printed
// page carries the run id.
import { areaOf } from '../check-kit/entry.js';
import { findCheck } from '../checks/index.js';
import type { Chart } from '../check-kit/verdict.js';
import type { CheckResult, Report } from './schema.js';
import { isWaived, resultLine, shownVerdict } from './summarize.js';
import { verdictFirst } from './verdict-first.js';
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
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;padding:0 16px;color:#1b1b1b;max-width:1100px;overflow-wrap:anywhere}
h1{font-size:20px;margin:0 0 8px} h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px} h3{font-size:15px;margin:0}
.banner{background:#fff3cd;border:1px solid #e0b300;padding:8px 12px;margin:8px 0}
.verdict{border:2px solid #999;border-radius:6px;padding:12px 16px;margin:0 0 16px}
.verdict h1{font-size:22px} .status-ready{border-color:#2e7d32;background:#f1f8f1} .status-not-ready{border-color:#c62828;background:#fdf1f1} .status-incomplete{border-color:#ef6c00;background:#fff6ec}
.verdict ul{margin:6px 0;padding-left:0;list-style:none} .verdict li{margin:3px 0}
.headline{color:#444;font-size:13px;margin:4px 0 10px}
table{border-collapse:collapse;margin:8px 0;width:100%;table-layout:fixed} td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px;overflow-wrap:anywhere;word-break:break-word}
table.kv th{width:22%} table.deviations col.c1{width:9%} table.deviations col.c2{width:19%} table.deviations col.c3,table.deviations col.c4{width:24%}
.check{border:1px solid #ddd;border-left:6px solid #999;padding:8px 12px;margin:10px 0;break-inside:avoid}
.v-pass{border-left-color:#2e7d32}.v-fail{border-left-color:#c62828}.v-error{border-left-color:#6a1b9a}.v-warn{border-left-color:#ef6c00}.v-skip{border-left-color:#9e9e9e}.v-waived{border-left-color:#0277bd}
.badge{display:inline-block;font-weight:bold;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px;margin-right:6px}
.b-pass{background:#2e7d32}.b-fail{background:#c62828}.b-error{background:#6a1b9a}.b-warn{background:#ef6c00}.b-skip{background:#757575}.b-waived{background:#0277bd}
.meta{color:#555;font-size:12px;margin:2px 0 6px} ul.evidence,ul.findings{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;margin:4px 0;padding-left:18px}
.remediation{font-size:13px;margin-top:6px} .signoff td{height:28px} code{font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-all}
svg.chart{max-width:100%;height:auto;margin:6px 0;border:1px solid #eee} svg text{font-size:11px;fill:#333} svg .chart-title{font-weight:bold;font-size:12px}
svg .grid{stroke:#eee} svg .axis{stroke:#999} svg .ref{stroke-dasharray:5 4;stroke-width:1.5}
.runid{display:none}
@media (max-width:640px){
  body{margin:8px auto;padding:0 8px}
  table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th{display:block;width:100%}
  table.stack tr{border:1px solid #ccc;margin:0 0 8px} table.stack tr.head{display:none} table.stack td,table.stack th{border:none;border-bottom:1px solid #eee}
  table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:bold}
  table.kv th{width:auto}
}
@page{size:A4;margin:14mm 12mm 16mm;@bottom-left{content:"ovms-validate run ${'$'}{RUN_ID}";font-size:9px;color:#555}@bottom-right{content:"page " counter(page) " of " counter(pages);font-size:9px;color:#555}}
@media print{body{margin:0;max-width:none;padding:0} .check{page-break-inside:avoid} h2{page-break-after:avoid} .verdict{page-break-after:avoid}}
`;

function checkArticle(c: CheckResult, profile: string): string {
  const charts = (c.evidence?.charts ?? []).map(svgChart).join('\n');
  const items = (c.evidence?.items ?? []).map((i) => `<li>${esc(i)}</li>`).join('');
  const located = (c.evidence?.locations ?? []).map((l) => `<li><code>${esc(`${l.file}:${l.line}`)}</code> ${l.level}: ${esc(`${l.object}${l.container ? ` (${l.container})` : ''}: ${l.message}`)}</li>`).join('');
  const remediation = c.verdict === 'fail' || c.verdict === 'warn' || c.verdict === 'error' ? `<p class="remediation"><b>Remediation:</b> ${esc(c.remediation)}</p>` : '';
  const v = shownVerdict(c);
  return `<article class="check v-${v}" data-check="${esc(c.id)}" data-verdict="${c.verdict}">
<h3><span class="badge b-${v}">${v.toUpperCase()}</span>${esc(c.id)}</h3>
<p class="meta">proves ${esc(c.title)} &middot; ${esc(c.clause)}, ${c.requirement} &middot; profile ${profile} &middot; ${c.durationMs} ms</p>
<p>${c.basis === 'static' ? '<b>static</b> (what the manifest asks for, not what runs): ' : ''}${esc(resultLine(c))}</p>${located ? `<ul class="findings">${located}</ul>` : ''}${items ? `<ul class="evidence">${items}${c.evidence?.truncated ? '<li>(truncated)</li>' : ''}</ul>` : ''}${charts}${remediation}</article>`;
}

/** The message probes of the limits checks in one picture: bytes sent against the time of the answer. */
function oversizeChart(r: Report): Chart | null {
  const series = r.checks.filter((c) => areaOf(c.id) === 'limits').flatMap((c) => (c.evidence?.charts ?? []).filter((ch) => ch.kind === 'line' && ch.y === 'MiB sent').map((ch) => ({ name: c.id.replace('limits.', ''), points: (ch as Extract<Chart, { kind: 'line' }>).series[0]!.points })));
  return series.length ? { kind: 'line', title: 'message probes: MiB sent against the time of the answer (ms)', x: 'time (ms)', y: 'MiB sent', series } : null;
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
  return kvTable(rows);
}

const kvTable = (rows: [string, string][]): string => `<table class="kv">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join('')}</table>`;

/** The first screen: the decision, what fails or warns (one line each), what was not covered, what was judged. */
function verdictSection(r: Report): string {
  const v = verdictFirst(r);
  const problems = v.problems.map((p) => `<li><span class="badge b-${p.verdict}">${p.verdict.toUpperCase()}</span><b>${esc(p.id)}</b>: ${esc(p.line)}</li>`).join('');
  const skipped = v.notCovered.map((g) => `<li>${g.ids.length} not judged: ${esc(g.reason)} <span class="meta">(${esc(g.ids.join(', '))})</span></li>`).join('');
  return `<section id="verdict" class="verdict status-${v.status}"><h1>${esc(v.decision)}</h1><p class="headline">${esc(r.headline)}</p>
${problems ? `<ul class="problems">${problems}</ul>` : '<p>No check fails, errs or warns.</p>'}
${skipped ? `<h3>Not covered</h3><ul class="skipped">${skipped}</ul>` : ''}
${kvTable(v.identity)}</section>`;
}

/** Waivers applied (or lapsed), and the SHA-256 of every other file the run wrote. */
function signoff(r: Report, hashes: Record<string, string>): string {
  const waivers = r.checks.filter((c) => c.waiver).map((c) => `<tr><td data-label="check">${esc(c.id)}</td><td data-label="status">${isWaived(c) ? 'applied' : 'EXPIRED: the fail stands'}</td><td data-label="reason">${esc(c.waiver!.reason)}</td><td data-label="owner">${esc(c.waiver!.owner)}</td><td data-label="until">${esc(c.waiver!.expires)}</td><td data-label="file">${esc(`${c.waiver!.file}:${c.waiver!.line}`)}</td></tr>`).join('');
  const files = Object.entries(hashes).map(([f, h]) => `<tr><th>${esc(f)}</th><td><code>${h}</code></td></tr>`).join('');
  return `<section id="signoff" class="signoff"><h2>Sign-off</h2>
<table class="kv"><tr><th>Reviewer</th><td></td></tr><tr><th>Date</th><td></td></tr><tr><th>Decision</th><td>&#9744; accept &nbsp; &#9744; accept with the waivers below &nbsp; &#9744; reject</td></tr><tr><th>Notes</th><td></td></tr></table>
<h3>Waivers</h3>${waivers ? `<table class="stack"><tr class="head"><th>check</th><th>status</th><th>reason</th><th>owner</th><th>until</th><th>file</th></tr>${waivers}</table>` : '<p>None (give them with --waivers FILE).</p>'}
<h3>Files of this run (SHA-256)</h3><table class="kv">${files}</table><p class="meta">SHA256SUMS in the report folder lists these and report.html itself.</p></section>`;
}

export function writeHtml(r: Report, hashes: Record<string, string>): string {
  const s = r.summary;
  const t = r.target;
  const profiles = ['quick', 'nightly', 'acceptance'];
  const matrix = STATEMENTS.map((st) => {
    const checks = r.checks.filter((c) => statementOf(c) === st.id);
    if (checks.length === 0) return '';
    const cell = (p: string): string => {
      const in_ = checks.filter((c) => profileOf(c) === p);
      return in_.length ? ['pass', 'fail', 'waived', 'warn', 'skip', 'error'].map((v) => { const n = in_.filter((c) => shownVerdict(c) === v).length; return n ? `${n} ${v}` : ''; }).filter(Boolean).join(', ') : '-';
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
    ? `<table class="deviations stack"><colgroup><col class="c1"><col class="c2"><col class="c3"><col class="c4"><col class="c5"></colgroup><tr class="head"><th>change</th><th>what</th><th>the page</th><th>this run</th><th>why</th></tr>${t.deviations.map((d) => `<tr><td data-label="change">${d.change}</td><td data-label="what">${esc(d.what)}</td><td data-label="the page"><code>${esc(d.page ?? '-')}</code></td><td data-label="this run"><code>${esc(d.ran ?? '-')}</code></td><td data-label="why">${esc(d.why)}</td></tr>`).join('')}</table>`
    : '<p>No differences from the page\'s command (or no command: a remote target).</p>';
  return `<!-- ${esc(r.headline).replace(/--/g, '- -')} -->
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(r.decision.line)} | ${esc(r.headline)}</title><style>${STYLE.replace('${RUN_ID}', r.runId.replace(/[^\w-]/g, ''))}</style></head>
<body>
<p class="runid">ovms-validate run ${esc(r.runId)}</p>
${verdictSection(r)}
${t.standIn ? '<p class="banner">This run validated the ovms-validate stand-in, not OpenVINO Model Server. It proves the harness, not a deployment.</p>' : ''}
<p>${s.pass} pass, ${s.fail} fail, ${s.waived} waived, ${s.warn} warn, ${s.skip} skip, ${s.error} error &middot; profile ${r.profile} &middot; ${esc(r.startedAt)} to ${esc(r.finishedAt)} (${r.endReason})</p>
${signoff(r, hashes)}
<section id="by-statement"><h2>Verdicts by statement and profile</h2><table class="stack"><tr><th>statement</th>${profiles.map((p) => `<th>${p}</th>`).join('')}</tr>${matrix}</table></section>
${sections}
${over ? `<section id="message-probes"><h2>Message probes</h2>${svgChart(over)}<p class="meta">Each probe's bytes sent over time, then the wait for the answer; gRPC core answers only after the whole announced message (${(1073741824 / MiB).toFixed(0)} MiB + 1 by default).</p></section>` : ''}
<section id="deviations"><h2>Differences from the page's command</h2>${deviations}</section>
<section id="environment"><h2>Environment</h2>${environment(r)}</section>
</body></html>
`;
}
