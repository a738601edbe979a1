// The secret values a run knows of, and their removal from every text it writes or prints.
import { readCredential } from '../protocol/connect.js';
import type { ResolvedOptions } from '../options/resolved-options.js';
import { storeEnv, storeSecrets } from '../stores/model-repository.js';

/** Credential values, so that no report file ever carries one (defense in depth: none is ever put there). */
export function secretsOf(o: ResolvedOptions, env: NodeJS.ProcessEnv): string[] {
  const store = o.modelRepository ? storeSecrets(storeEnv(o.modelRepository.kind, env)) : [];
  if (!o.credential) return store;
  const v = readCredential(o.credential);
  const parts = o.credential.kind === 'basic' ? [v, v.slice(v.indexOf(':') + 1), Buffer.from(v).toString('base64')] : [v];
  return [...parts.filter((p) => p.length >= 4), ...store];
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);
}

