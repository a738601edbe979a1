// Renders a report.html in Debian's headless Chromium (installed by provisioning), driven by
// playwright-core, with the network off: what a reviewer sees, measured from the rendered page.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export interface RenderedCheck { id: string; verdict: string; text: string; box: { width: number; height: number } | null }
export interface RenderedChart { title: string; check: string | null; box: { x: number; y: number; width: number; height: number } | null; marks: number }
export interface Rendered { title: string; checks: RenderedCheck[]; charts: RenderedChart[]; pageHeight: number; requests: string[] }

// The page functions run in the browser; the project compiles without the DOM library, so they
// name the little of it they use.
interface Box { x: number; y: number; width: number; height: number }
interface El { getAttribute(n: string): string | null; getBoundingClientRect(): Box; closest(s: string): El | null; querySelectorAll(s: string): { length: number }; innerText?: string }
interface Win { scrollX: number; scrollY: number; getComputedStyle(e: El): { visibility: string; display: string }; document: { documentElement: { scrollHeight: number } } }

export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error('no Chromium found (scripts/provision.sh installs Debian\'s chromium); looked in ' + CANDIDATES.join(', '));
  return found;
}

export async function renderReportHtml(file: string, screenshot: string): Promise<Rendered> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.screenshot({ path: screenshot, fullPage: true });
    const checks = await page.$$eval('article.check', (els) => (els as unknown as El[]).map((e) => {
      const r = e.getBoundingClientRect();
      return { id: e.getAttribute('data-check') ?? '', verdict: e.getAttribute('data-verdict') ?? '', text: e.innerText ?? '', box: r.width > 0 && r.height > 0 ? { width: r.width, height: r.height } : null };
    }));
    const charts = await page.$$eval('svg.chart', (els) => (els as unknown as El[]).map((e) => {
      const g = globalThis as unknown as Win;
      const r = e.getBoundingClientRect();
      const style = g.getComputedStyle(e);
      const visible = r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
      return {
        title: e.getAttribute('aria-label') ?? '',
        check: e.closest('article.check')?.getAttribute('data-check') ?? null,
        box: visible ? { x: r.x + g.scrollX, y: r.y + g.scrollY, width: r.width, height: r.height } : null,
        marks: e.querySelectorAll('polyline, rect:not([width="10"]), circle').length,
      };
    }));
    const pageHeight = await page.evaluate(() => (globalThis as unknown as Win).document.documentElement.scrollHeight);
    return { title: await page.title(), checks, charts, pageHeight, requests };
  } finally {
    await browser.close();
  }
}

export interface Layout {
  width: number;
  /** The document is wider than the viewport (the page scrolls sideways). */
  pageScrollsSideways: boolean;
  /** Elements whose content is wider than their box (text cut or spilling out). */
  overflowing: string[];
  /** The decision line and where it is: on the first screen or not. */
  verdict: { text: string; top: number; firstScreen: boolean } | null;
  /** The differences table: its box is within the viewport, every cell's text shown whole. */
  deviations: { rows: number; withinViewport: boolean } | null;
}

/** report.html at a viewport width: what spills, and whether the verdict is on the first screen. */
export async function layoutAt(file: string, width: number, height = 900, screenshot?: string): Promise<Layout> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
    // A string, not a function: the TypeScript transform would add helpers the page does not have.
    return (await page.evaluate(`(() => {
      const w = ${width}, h = ${height};
      const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '') + ': ' + (e.textContent || '').trim().slice(0, 60);
      const overflowing = [];
      for (const e of document.querySelectorAll('td, th, p, li, h1, h2, h3, code, table, article, section')) {
        const r = e.getBoundingClientRect();
        if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) overflowing.push(name(e));
        else if (r.right > w + 1) overflowing.push(name(e) + ' (right edge ' + Math.round(r.right) + ' px)');
      }
      const h1 = document.querySelector('#verdict h1');
      const dev = document.querySelector('table.deviations');
      return {
        width: w,
        pageScrollsSideways: document.documentElement.scrollWidth > w + 1,
        overflowing,
        verdict: h1 ? { text: h1.textContent.trim(), top: h1.getBoundingClientRect().top, firstScreen: h1.getBoundingClientRect().top < h } : null,
        deviations: dev ? { rows: dev.querySelectorAll('tr').length, withinViewport: dev.getBoundingClientRect().right <= w + 1 && dev.getBoundingClientRect().left >= -1 } : null,
      };
    })()`)) as Layout;
  } finally {
    await browser.close();
  }
}

/** report.html printed to PDF (A4, as a reviewer prints it), and the PDF's text per page (pdftotext). */
export async function printToPdf(file: string, pdf: string): Promise<string[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
  const { execFileSync } = await import('node:child_process');
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim() !== '');
}
