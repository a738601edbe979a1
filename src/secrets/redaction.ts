// One redaction layer for everything a run writes or prints: every report file, server.log, the
// step summary, the terminal and progress lines. It knows the secret values a run has seen: the
// harness's own credentials and store keys, and the target's: the values of its environment and
// labels and of secret-like server arguments. Names stay; values become [redacted]. (Values are
// never put into a report on purpose either: this is the layer that makes sure.)
export const REDACTED = '[redacted]';

/**
 * Values too short or too common to remove from text without mangling it: a "true", a word of
 * three letters, a plain number (a port, a size, a limit: the same figures are the evidence).
 */
const TRIVIAL = /^(true|false|yes|no|on|off|null|none|[+-]?\d+(\.\d+)?|[a-z]{1,3})$/i;

export class Redactor {
  private values: string[] = [];

  constructor(values: Iterable<string> = []) { this.add(values); }

  /** More values to remove; longest first, so a value that contains another goes whole. */
  add(values: Iterable<string>): void {
    const next = new Set(this.values);
    for (const v of values) if (v.length >= 4 && !TRIVIAL.test(v)) next.add(v);
    this.values = [...next].sort((a, b) => b.length - a.length);
  }

  text(t: string): string {
    return this.values.reduce((acc, s) => (acc.includes(s) ? acc.split(s).join(REDACTED) : acc), t);
  }

  get size(): number { return this.values.length; }
}

/** Server flags whose value is a secret by its name (a key, a token, a password), not a file holding one. */
const SECRET_FLAG = /(key|token|secret|passw(or)?d|credential|auth)(?!.*(file|path))/i;

/** Values of secret-like server arguments (`--x_token V` or `--x_token=V`). */
export function secretArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!SECRET_FLAG.test(name)) continue;
    const v = eq > 0 ? a.slice(eq + 1) : args[i + 1];
    if (v !== undefined && !v.startsWith('--')) out.push(v);
  }
  return out;
}

/** The values of `NAME=VALUE` items (environment variables, labels as such pairs). */
export const valuesOf = (pairs: readonly string[]): string[] => pairs.map((e) => e.slice(e.indexOf('=') + 1)).filter((v, i) => pairs[i]!.includes('='));
