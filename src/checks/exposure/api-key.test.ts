// exposure.api-key: 401 or not, per route and per key (none, wrong, right); a configured key that a
// route ignores fails, no key at all warns.
import { describe, expect, it } from 'vitest';
import { judgeApiKey, type KeyAnswer } from './api-key.js';
import { said } from '../../../test/support/judgement.js';

const row = (route: string, anonymous: number, wrong: number, right: number | null): KeyAnswer => ({ route, anonymous, wrong, right });
const guarded = [row('/v3/chat/completions', 401, 401, 404), row('/v1/chat/completions', 401, 401, 404)];

describe('exposure.api-key', () => {
  it.each([
    ['every route refuses no key and a wrong one, the right one gets through', guarded, { yes: true, how: '--api_key_file' }, true, 'pass', /refuse requests without the key and with a wrong one \(401\), and let the right key through/],
    ['the right key not given: pass on the refusals, saying what was not tried', guarded.map((a) => ({ ...a, right: null })), null, false, 'pass', /the right key was not given/],
    ['no key configured: warn', [row('/v3/chat/completions', 404, 404, null), row('/v1/chat/completions', 404, 404, null)], { yes: false, how: 'neither' }, false, 'warn', /no API key: the generative endpoints answer anyone/],
    ['no key known, none enforced: warn', [row('/v3/chat/completions', 400, 400, null), row('/v1/chat/completions', 400, 400, null)], null, false, 'warn', /no API key/],
    ['a key configured that no route enforces: fail', [row('/v3/chat/completions', 404, 404, null), row('/v1/chat/completions', 404, 404, null)], { yes: true, how: 'API_KEY in the container environment' }, false, 'violated', /a key is configured \(API_KEY in the container environment\), yet/],
    ['one route in the key\'s scope answers without it: fail', [row('/v3/chat/completions', 401, 401, 404), row('/v1/chat/completions', 404, 404, 404)], { yes: true, how: 'x' }, true, 'violated', /\/v1\/chat\/completions answers without the key \(404\) while \/v3\/chat\/completions requires it/],
    ['a wrong key let through: fail', [row('/v3/chat/completions', 401, 404, 404), row('/v1/chat/completions', 401, 401, 404)], { yes: true, how: 'x' }, true, 'violated', /a wrong key gets past the check on \/v3\/chat\/completions/],
    ['the key given is refused: inconclusive warn', [row('/v3/chat/completions', 401, 401, 401), row('/v1/chat/completions', 401, 401, 401)], { yes: true, how: 'x' }, true, 'warn', /inconclusive: the key given to the harness was refused/],
  ] as const)('%s', (_n, answers, configured, rightKeyGiven, verdict, text) => {
    const j = judgeApiKey({ answers: [...answers], configured, rightKeyGiven });
    expect(j.verdict).toBe(verdict);
    expect(said(j)).toMatch(text);
  });
});
