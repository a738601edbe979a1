// Progress from inside a check. Checks run in vitest's workers, whose console output reaches the
// run only through the reporter (onUserConsoleLog); lines carrying this prefix are passed on to
// the terminal as progress, everything else a check might print is left to vitest.
export const PROGRESS_PREFIX = '[ovms-validate:progress] ';

export function checkProgress(line: string): void {
  console.log(`${PROGRESS_PREFIX}${line}`);
}

/** The progress lines in one console chunk (vitest may batch several writes into one). */
export function progressLines(content: string): string[] {
  return content.split('\n').filter((l) => l.startsWith(PROGRESS_PREFIX)).map((l) => l.slice(PROGRESS_PREFIX.length));
}
