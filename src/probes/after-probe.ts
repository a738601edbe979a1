// Liveness after a probe that may have hurt the server: one retry, as gRPC core can refuse the
// first call right after a burst (grpc-core-behaviour section 2).
import { endState, stoppedState, type EndState } from './container-stats.js';
import { checkLiveness, type Liveness } from './liveness.js';
import type { TargetClients } from '../protocol/clients.js';

export async function liveAfterProbe(c: TargetClients): Promise<Liveness> {
  const first = await checkLiveness(c.rest, c.grpc);
  if (first.live) return first;
  await new Promise((r) => setTimeout(r, 1000));
  const second = await checkLiveness(c.rest, c.grpc);
  return { live: second.live, items: [...first.items, `retry after 1 s: ${second.items.join('; ')}`] };
}

/**
 * The container's state and liveness after a probe. A server found not live is waited on until
 * it has stopped: read while the process is still dying, the exit code shows 0.
 */
export async function stateAfterProbe(containerId: string, c: TargetClients): Promise<{ after: EndState; alive: Liveness }> {
  let after = await endState(containerId);
  const alive = after.running ? await liveAfterProbe(c) : { live: false, items: ['container not running'] };
  if (!alive.live) after = await stoppedState(containerId);
  return { after, alive };
}
