// Samples a container through the Docker stats API (memory, CPU) and reads its end state from
// inspect (restart count, exit code, OOMKilled), for the flood checks' evidence.
import type Dockerode from 'dockerode';

export interface StatsSummary {
  samples: number;
  memoryBaselineBytes: number | null;
  memoryPeakBytes: number | null;
  cpuPeakPercent: number | null;
  /** [seconds since the sampler started, working-set bytes], for the report's memory charts. */
  memorySeries: [number, number][];
}
export interface EndState { running: boolean; restartCount: number; exitCode: number | null; oomKilled: boolean; status: string }

interface DockerStats {
  memory_stats?: { usage?: number; stats?: { cache?: number; total_inactive_file?: number; inactive_file?: number } };
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
}

/** Working-set memory, as `docker stats` shows it: usage minus inactive file pages. */
function memoryOf(s: DockerStats): number | null {
  const usage = s.memory_stats?.usage;
  if (usage === undefined) return null;
  const st = s.memory_stats?.stats ?? {};
  return usage - (st.total_inactive_file ?? st.inactive_file ?? 0);
}

function cpuOf(s: DockerStats): number | null {
  const cpu = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const sys = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  return sys > 0 ? (cpu / sys) * (s.cpu_stats?.online_cpus ?? 1) * 100 : null;
}

export class ContainerSampler {
  private samples: DockerStats[] = [];
  private times: number[] = [];
  private t0 = performance.now();
  private stream: NodeJS.ReadableStream | null = null;

  constructor(private readonly container: Dockerode.Container) {}

  async start(): Promise<void> {
    this.t0 = performance.now();
    this.stream = (await this.container.stats({ stream: true })) as unknown as NodeJS.ReadableStream;
    let rest = '';
    this.stream.on('data', (c: Buffer) => {
      const lines = (rest + c.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) {
        if (!l.trim()) continue;
        try { this.samples.push(JSON.parse(l) as DockerStats); this.times.push((performance.now() - this.t0) / 1000); } catch { /* partial */ }
      }
    });
    this.stream.on('error', () => undefined);
  }

  sampleCount(): number { return this.samples.length; }

  /** Waits (at most `timeoutMs`) for the first sample, so a baseline exists before the probe starts. */
  async firstSample(timeoutMs = 5000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.samples.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return this.samples.length > 0;
  }

  stop(): StatsSummary {
    (this.stream as unknown as { destroy?: () => void })?.destroy?.();
    const memorySeries = this.samples.map((x, i): [number, number] => [Math.round(this.times[i]! * 100) / 100, memoryOf(x) ?? 0]).filter(([, m]) => m > 0);
    const mem = memorySeries.map(([, m]) => m);
    const cpu = this.samples.map(cpuOf).filter((c): c is number => c !== null);
    return {
      samples: this.samples.length,
      memoryBaselineBytes: mem[0] ?? null,
      memoryPeakBytes: mem.length ? Math.max(...mem) : null,
      cpuPeakPercent: cpu.length ? Math.round(Math.max(...cpu)) : null,
      memorySeries,
    };
  }
}

/** The end state once the container has stopped (or `timeoutMs` passed): an exit code read too early is 0. */
export async function stoppedState(container: Dockerode.Container, timeoutMs = 5000): Promise<EndState> {
  const until = Date.now() + timeoutMs;
  let s = await endState(container);
  while (s.running && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    s = await endState(container);
  }
  return s;
}

export async function endState(container: Dockerode.Container): Promise<EndState> {
  try {
    const i = await container.inspect();
    return { running: i.State.Running, restartCount: i.RestartCount ?? 0, exitCode: i.State.ExitCode ?? null, oomKilled: i.State.OOMKilled ?? false, status: i.State.Status };
  } catch {
    return { running: false, restartCount: 0, exitCode: null, oomKilled: false, status: 'gone' };
  }
}

/** Docker sends about one stats sample a second: a peak from fewer than this many is a reading, not a measurement. */
export const MEASURED_PEAK_SAMPLES = 3;

const mibOf = (n: number | null): string => (n === null ? '-' : `${(n / 1048576).toFixed(0)} MiB`);

/** The memory figure as what it is: a peak over enough samples, or a reading from one or two. */
export function memoryPeakText(mem: StatsSummary): string {
  const from = `${mibOf(mem.memoryBaselineBytes)} at the start`;
  if (mem.samples >= MEASURED_PEAK_SAMPLES) return `memory ${from}, peak ${mibOf(mem.memoryPeakBytes)} over ${mem.samples} Docker stats samples (about one a second)`;
  return `memory ${from}; highest of ${mem.samples} Docker stats sample${mem.samples === 1 ? '' : 's'} ${mibOf(mem.memoryPeakBytes)}: a single reading, not a measured peak (the probe was shorter than the stats interval)`;
}

/** For report.json: a measured peak under memoryPeakBytes (compared between runs), a reading under its own name. */
export function memoryPeakObserved(mem: StatsSummary | null): { memoryPeakBytes: number | null } | { memoryReadingBytes: number | null; memorySamples: number } {
  if (!mem) return { memoryPeakBytes: null };
  return mem.samples >= MEASURED_PEAK_SAMPLES ? { memoryPeakBytes: mem.memoryPeakBytes } : { memoryReadingBytes: mem.memoryPeakBytes, memorySamples: mem.samples };
}
