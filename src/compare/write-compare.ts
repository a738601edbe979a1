// The comparison as Markdown (for a file or a CI step summary) and as terminal lines.
import type { Comparison, FigureChange } from './compare-reports.js';
import { mdCell, mdText } from '../report/markdown-text.js';

const fmt = (v: number, unit: FigureChange['unit']): string => (unit === 'bytes' ? `${(v / 1048576).toFixed(1)} MiB` : `${v} ${unit}`);
const pct = (p: number): string => (Number.isFinite(p) ? `${p > 0 ? '+' : ''}${p}%` : 'from 0');
const verdictWord = (v: string | null): string => v ?? 'not run';

function verdictLead(c: Comparison): string {
  const r = c.verdicts.filter((v) => v.kind === 'regression').length;
  const f = c.figures.filter((x) => x.kind === 'regression').length;
  const still = c.stillFailing.length ? `; ${c.stillFailing.length} check(s) still failing` : '';
  const parts = [...c.runRegressions, r ? `${r} verdict(s) worse` : '', f ? `${f} figure(s) worse beyond ${c.tolerancePct}%` : ''].filter(Boolean);
  const apart = c.incomparable.length ? ` (NOT LIKE FOR LIKE: ${c.incomparable.map((x) => x.split(':')[0]).join('; ')})` : '';
  return (c.regressions === 0 ? 'no regression' : `${c.regressions} regression(s): ${parts.join(', ')}`) + still + apart;
}

export function writeCompareMarkdown(c: Comparison): string {
  const out = [
    `# ovms-validate compare: ${mdText(verdictLead(c))}`,
    '',
    `- old: ${mdText(c.old.headline)} (started ${c.old.startedAt})`,
    `- new: ${mdText(c.new.headline)} (started ${c.new.startedAt})`,
    ...c.incomparable.map((n) => `- **not like for like**: ${mdText(n)}`),
    ...c.notes.map((n) => `- note: ${mdText(n)}`),
    '',
  ];
  if (c.runRegressions.length) out.push('## The new run', '', ...c.runRegressions.map((r) => `- **regression**: ${mdText(r)}`), '');
  if (c.stillFailing.length) {
    out.push('## Still failing', '', 'These fail in both runs: not regressions, still not fixed.', '', '| check | verdict | new result |', '|---|---|---|');
    for (const f of c.stillFailing) out.push(`| \`${f.id}\` | ${f.verdict} | ${mdCell(f.now)} |`);
    out.push('');
  }
  if (c.verdicts.length) {
    out.push('## Verdicts', '', '| check | old | new | change | new result |', '|---|---|---|---|---|');
    for (const v of c.verdicts) out.push(`| \`${v.id}\` | ${verdictWord(v.from)} | ${verdictWord(v.to)} | ${v.kind === 'regression' ? '**regression**' : v.kind} | ${mdCell(v.now)} |`);
    out.push('');
  } else out.push('No verdict changed.', '');
  if (c.figures.length) {
    out.push(`## Measured figures beyond ${c.tolerancePct}%`, '', '| check | figure | old | new | change | |', '|---|---|---|---|---|---|');
    for (const f of c.figures) out.push(`| \`${f.id}\` | ${f.what} (\`${f.path}\`) | ${fmt(f.from, f.unit)} | ${fmt(f.to, f.unit)} | ${pct(f.changePct)} | ${f.kind === 'regression' ? '**worse**' : f.kind === 'noise' ? `worse, but ${f.samples}: noise, not counted` : 'better'} |`);
    out.push('');
  } else out.push(`No measured figure moved beyond ${c.tolerancePct}%.`, '');
  return out.join('\n');
}

export function writeCompareTerminal(c: Comparison): string {
  const out = [`ovms-validate compare: ${verdictLead(c)}`, `  old: ${c.old.headline}`, `  new: ${c.new.headline}`, ...c.incomparable.map((n) => `  NOT LIKE FOR LIKE: ${n}`), ...c.notes.map((n) => `  note: ${n}`)];
  for (const r of c.runRegressions) out.push(`  WORSE  the new run: ${r}`);
  for (const f of c.stillFailing) out.push(`  STILL  ${f.id.padEnd(30)} ${f.verdict}: ${f.now}`);
  for (const v of c.verdicts) out.push(`  ${v.kind === 'regression' ? 'WORSE ' : v.kind === 'improvement' ? 'BETTER' : 'CHANGE'} ${v.id.padEnd(30)} ${verdictWord(v.from)} -> ${verdictWord(v.to)}: ${v.now}`);
  for (const f of c.figures) out.push(`  ${f.kind === 'regression' ? 'WORSE ' : f.kind === 'noise' ? 'NOISE ' : 'BETTER'} ${f.id.padEnd(30)} ${f.what} ${f.path}: ${fmt(f.from, f.unit)} -> ${fmt(f.to, f.unit)} (${pct(f.changePct)}, ${f.samples})`);
  return out.join('\n') + '\n';
}
