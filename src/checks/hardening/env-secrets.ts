// hardening.env-secrets: no secret is handed to the server as a plain environment value, which
// anyone who can inspect the container (or read the manifest) sees. Live: the container's own
// variables (beyond the image's) with secret-like names and a value: a `warn`, as `docker run -e`
// is how a container gets them, yet inspect shows them. In a manifest (ovms-validate manifests) a
// literal `value:` where a secretKeyRef belongs is a `fail`. Values never reach the evidence.
import type { CheckContext } from '../../check-kit/context.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { pass, warn, type Evidence, type Judgement } from '../../check-kit/verdict.js';

/** A variable named like a secret (a key, a token, a password, credentials), not like a file holding one. */
export const secretLikeName = (name: string): boolean =>
  /(SECRET|TOKEN|PASSW(OR)?D|CREDENTIAL|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CONNECTION_STRING)/i.test(name) && !/(_FILE|_PATH|_DIR)$|^GOOGLE_APPLICATION_CREDENTIALS$/i.test(name);

export interface EnvSecretsObs { names: string[]; imageNames: string[] }

export function judgeEnvSecrets(o: EnvSecretsObs): Judgement {
  const evidence: Evidence = {
    items: [
      `variables the container was given beyond its image's, named like secrets and holding a value: ${o.names.join(', ') || 'none'} (values never shown)`,
      ...(o.imageNames.length ? [`named like secrets in the image itself: ${o.imageNames.join(', ')} (the image's, not the deployment's)`] : []),
    ],
    observed: { secretVariables: o.names }, expected: { secretVariables: [] },
  };
  if (o.names.length) return warn(`${o.names.join(', ')} ${o.names.length === 1 ? 'is' : 'are'} in the container's environment, readable by anyone who can inspect it: mount ${o.names.length === 1 ? 'it' : 'them'} as a file from a secret store instead`, evidence);
  return pass('no secret-like variable is handed to the server in its environment', evidence);
}

export default defineCheck({
  id: 'hardening.env-secrets',
  title: 'no secret is handed to the server as a plain environment value',
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'pass keys and credentials as files from a secret store (a read-only secret mount), or in Kubernetes with valueFrom.secretKeyRef, never as literal values',
  impact: 'the secret must be provisioned as a Secret and mounted',
  needs: ['container'],
  async observe(ctx: CheckContext) {
    const c = ctx.target.container();
    const [info, image] = await Promise.all([c.inspect(), c.image().catch(() => null)]);
    const own = new Set(image?.Config.Env ?? []);
    const named = (list: string[]) => list.filter((e) => { const i = e.indexOf('='); return i > 0 && i < e.length - 1 && secretLikeName(e.slice(0, i)); }).map((e) => e.slice(0, e.indexOf('=')));
    return { names: named((info.Config.Env ?? []).filter((e) => !own.has(e))), imageNames: named([...own]) };
  },
  judge: judgeEnvSecrets,
});
