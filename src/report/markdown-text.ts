// Text that comes from a server, a user or a file, shown in Markdown (summary.md, the step summary,
// compare's Markdown) as the text it is: no markup, link, code span or HTML of its own, on one line.
// A hostile server's message cannot fold the evidence, split a table, start a block or link anywhere.

/**
 * Prose: one line; Markdown punctuation escaped; `<` and `&` as entities. Intraword underscores stay
 * (grpc_max_threads). `lineStart`: the text begins a line, where `>`, `#`, `-`, `+`, `=` would start a block.
 */
export function mdText(s: string, lineStart = false): string {
  const t = s
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*[\]~]/g, '\\$&')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
  return lineStart ? t.replace(/^([>#+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2') : t;
}

/** Prose in a table cell: as mdText, and a pipe escaped so it cannot split the row. */
export const mdCell = (s: string): string => mdText(s).replace(/\|/g, '\\|');

/** A code span (a command line, a path) that may sit in a table cell: one line, pipes escaped (GFM splits cells first). */
export function mdCode(s: string): string {
  const body = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  // A span holding backticks is fenced by a longer run of them.
  const fence = '`'.repeat(Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  return fence.length > 1 ? `${fence} ${body} ${fence}` : `\`${body}\``;
}
