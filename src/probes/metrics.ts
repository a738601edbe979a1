// Reads OVMS's Prometheus /metrics, and samples chosen gauges while something else runs.
import type { KServeRestClient } from '../protocol/rest-client.js';

export type MetricSamples = Map<string, number>;

/** `name{labels} value` lines into a map keyed by the series as written; comments skipped. */
export function parsePrometheus(text: string): MetricSamples {
  const out: MetricSamples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?)\s+(\S+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

export function family(samples: MetricSamples, name: string, model?: string): number[] {
  return [...samples].filter(([k]) => (k === name || k.startsWith(`${name}{`)) && (!model || k.includes(`name="${model}"`))).map(([, v]) => v);
}

export async function readMetrics(rest: KServeRestClient): Promise<MetricSamples | null> {
  try {
    const a = await rest.send('GET', '/metrics');
    return a.status === 200 ? parsePrometheus(a.text) : null;
  } catch {
    return null;
  }
}

/** Polls /metrics until stopped; keeps the peak of each requested family for one model. */
export class MetricsSampler {
  readonly peaks = new Map<string, number>();
  samples = 0;
  failures = 0;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly rest: KServeRestClient, private readonly families: string[], private readonly model: string, private readonly everyMs = 50) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const m = await readMetrics(this.rest);
        if (m) {
          this.samples++;
          for (const f of this.families) {
            const v = family(m, f, this.model);
            if (v.length) this.peaks.set(f, Math.max(this.peaks.get(f) ?? -Infinity, ...v));
          }
        } else this.failures++;
        await new Promise((r) => setTimeout(r, this.everyMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Peaks of gauges sampled while some work ran, or why there are none (no REST, no /metrics). */
export interface GaugePeaks { peaks: Record<string, number>; samples: number; everyMs: number; absent: string | null }

export async function peaksWhile<T>(rest: KServeRestClient | null, families: string[], model: string, everyMs: number, work: () => Promise<T>): Promise<{ result: T; gauges: GaugePeaks }> {
  if (!rest) return { result: await work(), gauges: { peaks: {}, samples: 0, everyMs, absent: 'the deployment has no REST endpoint, so no /metrics' } };
  const sampler = new MetricsSampler(rest, families, model, everyMs);
  sampler.start();
  try {
    const result = await work();
    await sampler.stop();
    return {
      result,
      gauges: { peaks: Object.fromEntries(sampler.peaks), samples: sampler.samples, everyMs, absent: sampler.samples === 0 ? `/metrics did not answer 200 (${sampler.failures} tries): the server runs without --metrics_enable or hides it` : null },
    };
  } finally {
    await sampler.stop();
  }
}
