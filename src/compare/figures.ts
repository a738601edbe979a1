// The measured figures compare looks at, found by their place in a check's observed evidence:
// rates, latencies, memory and time to refusal, each with the direction that is better and a
// slack below which a change is noise whatever its ratio (1 ms to 2 ms is not a regression).
import { MEASURED_PEAK_SAMPLES } from '../docker/container-stats.js';

export interface FigureRule {
  /** Matches the dotted path of a number inside `evidence.observed`. */
  path: RegExp;
  what: string;
  unit: 'calls/s' | 'ms' | 'bytes';
  better: 'higher' | 'lower';
  /**
   * How many samples stand behind the figure: the path of the count beside it (`achieved.count`), or a
   * fixed count for a figure written only when that many made it; absent: one reading.
   */
  samples?: string | { fixed: number };
}

export const FIGURE_RULES: readonly FigureRule[] = [
  { path: /^achieved\.(rate|okRate)$/, what: 'achieved rate', unit: 'calls/s', better: 'higher', samples: 'achieved.count' },
  { path: /^rate$/, what: 'achieved rate', unit: 'calls/s', better: 'higher', samples: 'requests' },
  { path: /^latencyMs\.all\.(p50|p90|p99|max)$/, what: 'latency', unit: 'ms', better: 'lower', samples: 'latencyMs.all.n' },
  // A memory peak is written as memoryPeakBytes only when enough stats samples made it (else memoryReadingBytes).
  { path: /^memoryPeakBytes$/, what: 'memory', unit: 'bytes', better: 'lower', samples: { fixed: MEASURED_PEAK_SAMPLES } },
  { path: /^(peakBytes|growthBytes)$/, what: 'memory', unit: 'bytes', better: 'lower', samples: 'samples' },
  { path: /^answerAfterLastByteMs$/, what: 'time to refusal after the last byte', unit: 'ms', better: 'lower' },
  { path: /^startupMs$/, what: 'time to ready', unit: 'ms', better: 'lower' },
];

export const SLACK: Record<FigureRule['unit'], number> = { 'calls/s': 2, ms: 10, bytes: 4 * 1048576 };

/** Fewer samples than this behind a figure, and its move is noise, not a regression (unless --strict-figures). */
export const MIN_SAMPLES = 30;
/** Stats samples a memory peak needs (one a second): what makes it a measured peak. */
export const MIN_MEMORY_SAMPLES = MEASURED_PEAK_SAMPLES;

export interface Figure { check: string; path: string; value: number; rule: FigureRule; samples: number | null }

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
  const at = new Map(leaves);
  return leaves.flatMap(([path, value]) => {
    const rule = FIGURE_RULES.find((r) => r.path.test(path));
    if (!rule) return [];
    const n = rule.samples === undefined ? null : typeof rule.samples === 'string' ? at.get(rule.samples) ?? null : rule.samples.fixed;
    return [{ check, path, value, rule, samples: n }];
  });
}
