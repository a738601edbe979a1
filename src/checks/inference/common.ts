// What the inference checks share: each protocol's answers, or why the deployment has none.
import type { CheckContext } from '../../check-kit/context.js';
import type { TensorMeta } from '../../protocol/rest-client.js';

/** A protocol's answers, or why the deployment has none. */
export type PerProtocol<T> = { REST: T | { absent: string }; gRPC: T | { absent: string } };
export const present = <T extends object>(x: T | { absent: string }): x is T => !('absent' in x);

/** Asks each protocol the deployment has; an absent one is named, never an error. */
export async function perProtocol<T>(ctx: CheckContext, rest: () => Promise<T>, grpc: () => Promise<T>): Promise<PerProtocol<T>> {
  const e = ctx.run.target.endpoints;
  return {
    REST: e.rest ? await rest() : { absent: 'no REST endpoint in this deployment (gRPC only)' },
    gRPC: e.grpc ? await grpc() : { absent: 'no gRPC endpoint in this deployment (REST only)' },
  };
}

export const tensors = (x: { name: string; datatype: string; shape: (number | string)[] }): TensorMeta => ({ name: x.name, datatype: x.datatype, shape: x.shape.map(Number) });
