// GitHub Actions shows the Markdown a step appends to $GITHUB_STEP_SUMMARY; more than 1 MiB from one
// step is refused (the upload fails with an annotation), so a longer summary is cut at a line
// boundary and says where the whole one is.
import { appendFileSync } from 'node:fs';

export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export function fitStepSummary(markdown: string, reportDir: string, limit = STEP_SUMMARY_LIMIT): string {
  if (Buffer.byteLength(markdown) <= limit) return markdown;
  const note = `\n\n> The summary was cut to fit the step summary's ${limit} bytes; the whole one is summary.md in ${reportDir}.\n`;
  const room = limit - Buffer.byteLength(note);
  const lines = markdown.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    const n = Buffer.byteLength(line) + 1;
    if (size + n > room) break;
    kept.push(line);
    size += n;
  }
  return kept.join('\n') + note;
}

/** Appends the summary and returns a progress line; a file that cannot be written is reported, not fatal. */
export function appendStepSummary(file: string, markdown: string, reportDir: string): string {
  const text = fitStepSummary(markdown, reportDir);
  try {
    appendFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
    return `appended the summary (${Buffer.byteLength(text)} bytes) to $GITHUB_STEP_SUMMARY (${file})`;
  } catch (e) {
    return `warning: could not append the summary to $GITHUB_STEP_SUMMARY (${file}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}
