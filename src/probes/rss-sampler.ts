// Samples this process's resident set size while a probe runs, to report its peak growth.
export interface RssSample { baselineBytes: number; peakBytes: number; growthBytes: number }

export async function measureRss<T>(work: () => Promise<T>, everyMs = 25): Promise<{ value: T; rss: RssSample }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, everyMs);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, rss: { baselineBytes: baseline, peakBytes: peak, growthBytes: peak - baseline } };
  } finally {
    clearInterval(timer);
  }
}
