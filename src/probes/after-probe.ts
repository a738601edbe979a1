// Liveness after a probe that may have hurt the server: one retry, as gRPC core can refuse the
// first call right after a burst (grpc-core-behaviour section 2).
import type { TargetAccess } from '../targets/access.js';
import type { EndState } from '../docker/container-stats.js';
import { checkLiveness, type LiveClients, type Liveness } from '../protocol/liveness.js';

export async function liveAfterProbe(target: TargetAccess | LiveClients): Promise<Liveness> {
  const c = 'clients' in target ? target.clients() : target;
  const first = await checkLiveness(c);
  if (first.live) return first;
  await new Promise((r) => setTimeout(r, 1000));
  const second = await checkLiveness(c);
  return { live: second.live, items: [...first.items, `retry after 1 s: ${second.items.join('; ')}`] };
}

/**
 * The container's state and liveness after a probe. A server found not live is waited on until
 * it has stopped: read while the process is still dying, the exit code shows 0. Without container
 * access the state is what liveness shows.
 */
export async function stateAfterProbe(target: TargetAccess): Promise<{ after: EndState; alive: Liveness }> {
  if (!target.target.container) {
    const alive = await liveAfterProbe(target);
    return { after: { running: alive.live, restartCount: 0, exitCode: null, oomKilled: false, status: alive.live ? 'answering' : 'not answering' }, alive };
  }
  const c = target.container();
  let after = await c.endState();
  const alive = after.running ? await liveAfterProbe(target) : { live: false, items: ['container not running'] };
  if (!alive.live) after = await c.stoppedState();
  return { after, alive };
}
