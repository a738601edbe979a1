// summary.md as GitHub renders it (GitHub-flavoured Markdown, here by marked with GFM on): every
// table keeps its columns whatever the text holds (pipes, newlines, HTML), the verdict table has
// every check, and the evidence stays folded.
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { renderReport, type RenderContext } from '../../src/report/render-report.js';
import type { CheckResult } from '../../src/report/schema.js';
import { sampleReport } from '../support/sample-report.js';
import { mdCode, mdText } from '../../src/report/markdown-text.js';

const CTX: RenderContext = { formats: ['json', 'markdown'], reportDir: '/repo/reports/x', cwd: '/repo', redact: (t) => t };

interface Table { head: string[]; rows: string[][] }
function tables(html: string): Table[] {
  const text = (cell: string): string => cell.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, t]) => {
    const rows = [...t!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, r]) => [...r!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, c]) => text(c!)));
    return { head: rows[0] ?? [], rows: rows.slice(1) };
  });
}

describe('summary.md in a GitHub-flavoured Markdown renderer', () => {
  const base = sampleReport();
  const hostile = {
    ...base,
    checks: base.checks.map((c): CheckResult => (c.id === 'hardening.default-uid' && c.verdict === 'fail'
      ? { ...c, summary: 'runs as root | UID 0 | `code` <b>bold</b>\nsecond line', evidence: { ...c.evidence!, items: ['</details><details open><summary>forged', '[click](http://evil.example) ![x](http://evil.example/x.png) <img src=x> *em* _em_ ~~gone~~', '# heading?', '1. list?'] } }
      : c)),
  };
  const md = renderReport(hostile, CTX)['summary.md']!;
  const html = marked.parse(md, { gfm: true, async: false }) as string;
  const all = tables(html);

  it('keeps every table\'s columns: no cell text splits a row', () => {
    expect(all.length).toBeGreaterThan(0);
    for (const t of all) for (const r of t.rows) expect(r.length, `${t.head.join(' | ')}: ${r.join(' | ')}`).toBe(t.head.length);
  });

  it('lists every check once in the verdict table, with its text whole', () => {
    const verdicts = all.find((t) => t.head[0] === 'check' && t.head[1] === 'verdict')!;
    expect(verdicts.rows.map((r) => r[0])).toEqual(hostile.checks.map((c) => c.id));
    const row = verdicts.rows.find((r) => r[0] === 'hardening.default-uid')!;
    expect(row[2]).toContain('runs as root | UID 0 |');
    expect(row[2]).toContain('second line');
    // The server's text is shown, never rendered as markup.
    expect(html).not.toContain('<b>bold</b>');
  });

  it('shows a hostile server\'s text as text: no forged fold, link, image, emphasis or heading', () => {
    expect(html).not.toMatch(/<details open>|<img |<em>|<del>|<h\d>heading|<ol>/);
    // GFM links a bare URL as itself; no link may show other text than where it goes.
    for (const [, href, text] of html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)) expect(text).toBe(href);
    expect(html).toContain('# heading?');
    expect(html.match(/<details>/g)).toHaveLength(hostile.checks.length);
    expect(html).toContain('&lt;/details&gt;&lt;details open&gt;&lt;summary&gt;forged');
    expect(html.replace(/<[^>]+>/g, '')).toContain('[click](http://evil.example)');
    expect(html).toContain('*em* _em_ ~~gone~~');
  });

  it('keeps intraword underscores readable in the raw file, and a code span whole', () => {
    expect(mdText('grpc_max_threads and _this_')).toBe('grpc_max_threads and \\_this\\_');
    expect(mdCode('docker run -e A=`x` | tee')).toBe('`` docker run -e A=`x` \\| tee ``');
    expect(mdText('- starts a list', true)).toBe('\\- starts a list');
    expect(mdText('12. starts a list', true)).toBe('12\\. starts a list');
  });

  it('says the decision before any table, and folds the evidence', () => {
    expect(html.indexOf(hostile.decision.line.split(':')[0]!)).toBeLessThan(html.indexOf('<table>'));
    expect(html).toContain('<details><summary>hardening.default-uid: FAIL</summary>');
  });
});
