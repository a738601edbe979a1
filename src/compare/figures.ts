// The measured figures compare looks at, found by their place in a check's observed evidence:
// rates, latencies, memory and time to refusal, each with the direction that is better and a
// slack below which a change is noise whatever its ratio (1 ms to 2 ms is not a regression).
export interface FigureRule {
  /** Matches the dotted path of a number inside `evidence.observed`. */
  path: RegExp;
  what: string;
  unit: 'calls/s' | 'ms' | 'bytes';
  better: 'higher' | 'lower';
}

export const FIGURE_RULES: readonly FigureRule[] = [
  { path: /^achieved\.(rate|okRate)$/, what: 'achieved rate', unit: 'calls/s', better: 'higher' },
  { path: /^rate$/, what: 'achieved rate', unit: 'calls/s', better: 'higher' },
  { path: /^latencyMs\.all\.(p50|p90|p99|max)$/, what: 'latency', unit: 'ms', better: 'lower' },
  { path: /^(memoryPeakBytes|peakBytes|growthBytes)$/, what: 'memory', unit: 'bytes', better: 'lower' },
  { path: /^answerAfterLastByteMs$/, what: 'time to refusal after the last byte', unit: 'ms', better: 'lower' },
  { path: /^startupMs$/, what: 'time to ready', unit: 'ms', better: 'lower' },
];

export const SLACK: Record<FigureRule['unit'], number> = { 'calls/s': 2, ms: 10, bytes: 4 * 1048576 };

export interface Figure { check: string; path: string; value: number; rule: FigureRule }

function walk(value: unknown, path: string, out: [string, number][]): void {
  if (typeof value === 'number' && Number.isFinite(value)) out.push([path, value]);
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, out);
  }
}

/** The figures one check measured, keyed `check id / path`. */
export function figuresOf(check: string, observed: unknown): Figure[] {
  const leaves: [string, number][] = [];
  walk(observed, '', leaves);
  return leaves.flatMap(([path, value]) => {
    const rule = FIGURE_RULES.find((r) => r.path.test(path));
    return rule ? [{ check, path, value, rule }] : [];
  });
}
