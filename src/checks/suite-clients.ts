// The main target's KServe clients for one suite file: opened on first use, closed after the file.
import { afterAll, inject } from 'vitest';
import { servedInterface } from '../probes/served-model.js';
import { clientsFor, type TargetClients } from '../protocol/clients.js';
import type { TensorMeta } from '../protocol/rest-client.js';

export interface SuiteClients {
  get(): TargetClients;
  /** The served model's first input, as the server announces it. */
  servedInput(): Promise<TensorMeta>;
}

export function suiteClients(): SuiteClients {
  let clients: TargetClients | undefined;
  afterAll(async () => { await clients?.close(); });
  const get = (): TargetClients => (clients ??= clientsFor(inject('run').target));
  return { get, servedInput: async () => (await servedInterface(get().rest, inject('run').options.modelName)).input };
}
