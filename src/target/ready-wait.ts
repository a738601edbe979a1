// Waits for GET /v2/health/ready = 200 and gives up at once when the server process exits.
// (testcontainers' own abortOnContainerExit can hang on an exited container while it tails the log.)
import type Dockerode from 'dockerode';
import type { BoundPorts, WaitStrategy } from 'testcontainers';

const POLL_MS = 200;

export class ReadyEndpointWait implements WaitStrategy {
  private timeoutMs = 180_000;
  private timeoutSet = false;

  constructor(private readonly restPort: number, private readonly host = '127.0.0.1') {}

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean { return this.timeoutSet; }
  getStartupTimeout(): number { return this.timeoutMs; }

  async waitUntilReady(container: Dockerode.Container, boundPorts: BoundPorts): Promise<void> {
    const url = `http://${this.host}:${boundPorts.getBinding(this.restPort)}/v2/health/ready`;
    const deadline = Date.now() + this.timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      const state = (await container.inspect()).State;
      if (!state.Running) throw new Error(`the server exited (code ${state.ExitCode}) before GET /v2/health/ready answered 200 (last: ${last})`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(Math.min(5000, Math.max(1, deadline - Date.now()))) });
        await res.arrayBuffer();
        if (res.status === 200) return;
        last = `HTTP ${res.status}`;
      } catch (e) {
        last = (e as Error).cause ? String((e as { cause: Error }).cause.message ?? (e as Error).cause) : (e as Error).message;
      }
      if (Date.now() >= deadline) throw new Error(`GET /v2/health/ready did not answer 200 within ${this.timeoutMs / 1000} s (last: ${last})`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
