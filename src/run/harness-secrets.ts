// The secret values the harness itself holds for a run: the endpoints' credential and the keys of
// a store of the user's, for the redaction layer.
import type { ResolvedOptions } from '../options/resolved-options.js';
import { readApiKey, readCredential } from '../protocol/connect.js';
import { storeEnv, storeSecrets } from '../stores/model-repository.js';

/** The harness's own credential values and the store keys it passes on. */
export function harnessSecrets(o: ResolvedOptions, env: NodeJS.ProcessEnv): string[] {
  const store = [...(o.modelRepository ? storeSecrets(storeEnv(o.modelRepository.kind, env)) : []), ...(o.apiKey ? [readApiKey(o.apiKey)] : [])];
  if (!o.credential) return store;
  const v = readCredential(o.credential);
  const parts = o.credential.kind === 'basic' ? [v, v.slice(v.indexOf(':') + 1), Buffer.from(v).toString('base64')] : [v];
  return [...parts, ...store];
}

