// Liveness after a probe that may have hurt the server: one retry, as gRPC core can refuse the
// first call right after a burst (grpc-core-behaviour section 2).
import { checkLiveness, type Liveness } from './liveness.js';
import type { TargetClients } from '../protocol/clients.js';

export async function liveAfterProbe(c: TargetClients): Promise<Liveness> {
  const first = await checkLiveness(c.rest, c.grpc);
  if (first.live) return first;
  await new Promise((r) => setTimeout(r, 1000));
  const second = await checkLiveness(c.rest, c.grpc);
  return { live: second.live, items: [...first.items, `retry after 1 s: ${second.items.join('; ')}`] };
}
