// One colour per status across every chart of a report: a series named for a gRPC or HTTP status
// (or naming one, "sent, HTTP 413 at 9 ms") always gets that status's colour, so "refused" is the
// same orange in a flood's rate chart, its latency bars and a probe's chart. Other series (memory,
// populations) take neutral colours chosen from their name, never a status colour.

// Served green; refused by a limit in oranges; failed in reds. Each status keeps its own shade, so
// two statuses of one chart are told apart and one status looks the same in every chart.
/** Statuses as the probes name them (gRPC code names, "HTTP 503", socket error codes), first match wins. */
const STATUS: readonly [RegExp, string][] = [
  [/\bRESOURCE_EXHAUSTED\b/, '#ff7f0e'],
  [/\bENHANCE_YOUR_CALM\b/, '#e6550d'],
  [/\bHTTP 413\b/, '#fd8d3c'],
  [/\bHTTP 429\b/, '#c66a00'],
  [/\bUNAVAILABLE\b|\bHTTP 503\b/, '#d62728'],
  [/\bDEADLINE_EXCEEDED\b|\bHTTP 504\b|\bETIMEDOUT\b|\btimeout\b/, '#a50f15'],
  [/\bCANCELLED\b/, '#fb6a4a'],
  [/\bINTERNAL\b|\bHTTP 500\b/, '#7b0c0c'],
  [/\bUNKNOWN\b/, '#e7298a'],
  [/\b(ABORTED|UNIMPLEMENTED|INVALID_ARGUMENT|NOT_FOUND|FAILED_PRECONDITION|PERMISSION_DENIED|UNAUTHENTICATED|OUT_OF_RANGE|DATA_LOSS|ALREADY_EXISTS)\b|\bHTTP 4\d\d\b/, '#ce1256'],
  [/\bHTTP 5\d\d\b|\b(ECONNRESET|ECONNREFUSED|EPIPE|closed|error)\b/, '#67001f'],
  [/\bOK\b|\bHTTP 2\d\d\b/, '#2ca02c'],
];
const NEUTRAL = ['#1f77b4', '#9467bd', '#8c564b', '#17becf', '#7f7f7f', '#bcbd22', '#393b79', '#637939'];

export function statusColour(name: string): string | null {
  return STATUS.find(([re]) => re.test(name))?.[1] ?? null;
}

const hash = (s: string): number => [...s].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);

/** Colours for a chart's series, in order: status colours by name, neutral ones distinct within the chart. */
export function seriesColours(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    const s = statusColour(n);
    if (s) return s;
    const start = hash(n) % NEUTRAL.length;
    const pick = [...NEUTRAL.keys()].map((k) => NEUTRAL[(start + k) % NEUTRAL.length]!).find((c) => !used.has(c)) ?? NEUTRAL[start]!;
    used.add(pick);
    return pick;
  });
}
