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
