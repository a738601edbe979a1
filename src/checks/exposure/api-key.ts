// exposure.api-key (page edition E2): the generative endpoints under /v3 and /v1 refuse requests
// without the key or with a wrong one (401), and let the right one through. The key is checked
// before the servable is looked up, so a request naming no served model shows it: 401 or not is
// judged, never a particular other status (ovms-page-editions, API key).
import type { CheckContext } from '../../check-kit/context.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { pass, violated, warn, type Evidence, type Judgement } from '../../check-kit/verdict.js';
import { hasFlag } from '../../docker/container-spec.js';
import { readApiKey } from '../../protocol/connect.js';

/** POST routes in the key's scope, one per prefix. */
export const KEY_ROUTES = ['/v3/chat/completions', '/v1/chat/completions'];
/** A model name no deployment serves: the request ends at the key check or at the servable look-up. */
export const NO_SUCH_MODEL = 'ovms-validate-no-such-model';
const WRONG_KEY = 'ovms-validate-wrong-key';

export interface KeyAnswer { route: string; anonymous: number; wrong: number; right: number | null }
export interface ApiKeyObs {
  answers: KeyAnswer[];
  /** Whether the deployment configures a key, as far as its command line and environment show (null: not known). */
  configured: { yes: boolean; how: string } | null;
  rightKeyGiven: boolean;
}

const refused = (status: number): boolean => status === 401;

export function judgeApiKey(o: ApiKeyObs): Judgement {
  const items = [
    `key configured: ${o.configured ? `${o.configured.yes ? 'yes' : 'no'} (${o.configured.how})` : 'not known (no command line or container to read it from)'}`,
    ...o.answers.map((a) => `POST ${a.route} (model ${NO_SUCH_MODEL}): no key -> ${a.anonymous}, a wrong key -> ${a.wrong}, the right key -> ${a.right ?? 'not tried (give --api-key-env or --api-key-file)'}`),
    '401 is the key refusing; any other status means the request got past the key check (the servable look-up answers then)',
  ];
  const evidence: Evidence = {
    items,
    observed: { answers: o.answers.map((a) => ({ route: a.route, anonymous: a.anonymous, wrongKey: a.wrong, rightKey: a.right })), configured: o.configured?.yes ?? null },
    expected: { anonymous: 401, wrongKey: 401, rightKey: 'not 401' },
  };
  const open = o.answers.filter((a) => !refused(a.anonymous));
  const guarded = o.answers.filter((a) => refused(a.anonymous));
  if (guarded.length > 0 && open.length > 0) return violated(`${open.map((a) => a.route).join(', ')} answer${open.length === 1 ? 's' : ''} without the key (${open.map((a) => a.anonymous).join(', ')}) while ${guarded.map((a) => a.route).join(', ')} require${guarded.length === 1 ? 's' : ''} it`, evidence);
  if (open.length > 0) {
    if (o.configured?.yes) return violated(`a key is configured (${o.configured.how}), yet ${open.map((a) => `${a.route} -> ${a.anonymous}`).join(', ')} answer without it`, evidence);
    return warn(`no API key: the generative endpoints answer anyone who reaches the REST port (${open.map((a) => `${a.route} -> ${a.anonymous}`).join(', ')})`, evidence);
  }
  const wrongIn = o.answers.filter((a) => !refused(a.wrong));
  if (wrongIn.length > 0) return violated(`a wrong key gets past the check on ${wrongIn.map((a) => `${a.route} (${a.wrong})`).join(', ')}`, evidence);
  const rightOut = o.answers.filter((a) => a.right !== null && refused(a.right));
  if (rightOut.length > 0) return warn(`inconclusive: the key given to the harness was refused on ${rightOut.map((a) => a.route).join(', ')}: it is not the server's key`, evidence);
  return pass(`${o.answers.map((a) => a.route).join(' and ')} refuse requests without the key and with a wrong one (401)${o.rightKeyGiven ? ', and let the right key through' : "; the right key was not given, so that it lets clients through was not tried"}`, evidence);
}

export default defineCheck({
  id: 'exposure.api-key',
  title: 'generative endpoints under /v3 and /v1 require the API key',
  clause: 'E2',
  requirement: 'required',
  profile: 'quick',
  remediation: 'start the server with --api_key_file /run/secrets/ovms-key (a read-only secret mount)',
  impact: 'every client of the generative endpoints sends Authorization: Bearer <key>',
  needs: ['rest'],
  uses: ['command', 'container'],
  async observe(ctx) {
    const rest = ctx.target.rest();
    const given = ctx.run.options.apiKey ? readApiKey(ctx.run.options.apiKey) : null;
    const body = JSON.stringify({ model: NO_SUCH_MODEL, messages: [{ role: 'user', content: 'ovms-validate: key probe' }], max_tokens: 1 });
    const json = { 'content-type': 'application/json' };
    const answers: KeyAnswer[] = [];
    for (const route of KEY_ROUTES) {
      const anonymous = (await rest.send('POST', route, body, json)).status;
      const wrong = (await rest.send('POST', route, body, { ...json, authorization: `Bearer ${WRONG_KEY}` })).status;
      const right = given ? (await rest.send('POST', route, body, { ...json, authorization: `Bearer ${given}` })).status : null;
      answers.push({ route, anonymous, wrong, right });
    }
    return { answers, configured: await keyConfigured(ctx), rightKeyGiven: given !== null };
  },
  judge: judgeApiKey,
});

/** A key in the command line (--api_key_file) or the container's API_KEY; null when neither can be read. */
async function keyConfigured(ctx: CheckContext): Promise<ApiKeyObs['configured']> {
  const args = ctx.run.target.command?.serverArgs ?? null;
  const env = ctx.run.target.container ? (await ctx.target.container().inspect()).Config.Env ?? [] : null;
  if (args === null && env === null) return null;
  if (args && hasFlag(args, '--api_key_file')) return { yes: true, how: '--api_key_file on the command line' };
  if (env?.some((e) => e.startsWith('API_KEY=') && e.length > 'API_KEY='.length)) return { yes: true, how: 'API_KEY in the container environment' };
  return { yes: false, how: `neither --api_key_file${env ? ' nor API_KEY' : ''} is set` };
}
