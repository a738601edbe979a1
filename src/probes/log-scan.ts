// Finds write-failure lines in a server log (hardening.starts-read-only).
export const WRITE_ERROR_PATTERNS: readonly RegExp[] = [/read-only file system/i, /permission denied/i];

export function writeErrorLines(log: readonly string[]): string[] {
  return log.filter((line) => WRITE_ERROR_PATTERNS.some((p) => p.test(line)));
}
