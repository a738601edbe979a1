// exposure.admin-endpoints: directly exposed is a warn naming each, through a proxy a fail; the
// reload route counts as open directly only where /v1/config answers beside it.
import { describe, expect, it } from 'vitest';
import { judgeAdminEndpoints, type AdminAnswer } from './admin-endpoints.js';
import { said } from '../../../test/support/judgement.js';

const answers = (config: number | null, models: number | null, metrics: number | null, reload: number | null): AdminAnswer[] => [
  { request: 'GET /v1/config', what: '', status: config, detail: '' },
  { request: 'GET /v3/models', what: '', status: models, detail: '' },
  { request: 'GET /metrics', what: '', status: metrics, detail: '' },
  { request: 'OPTIONS /v1/config/reload', what: '', status: reload, detail: '' },
];

describe('exposure.admin-endpoints', () => {
  it.each([
    ['directly, all answered: warn naming each', false, answers(200, 200, 200, 200), 'warn', /GET \/v1\/config, GET \/v3\/models, GET \/metrics, POST \/v1\/config\/reload answer anyone/],
    ['directly, none served (only the preflight, which any path gets): pass', false, answers(400, 400, 400, 200), 'pass', /none of/],
    ['directly, metrics only: warn naming it', false, answers(404, 404, 200, 200), 'warn', /^GET \/metrics answer/],
    ['through a proxy that refuses anonymous clients: pass', true, answers(401, 401, 401, 401), 'pass', /through the proxy/],
    ['through a proxy, the config status open: fail', true, answers(200, 401, 401, 401), 'violated', /the proxy lets anonymous clients reach GET \/v1\/config/],
    ['through a proxy, the reload preflight reaches the server: fail', true, answers(401, 401, 401, 200), 'violated', /POST \/v1\/config\/reload/],
    ['through an mTLS proxy that refuses the handshake: pass', true, answers(null, null, null, null), 'pass', /none of/],
  ] as const)('%s', (_n, proxy, a, verdict, text) => {
    const j = judgeAdminEndpoints({ proxy, address: 'http://x', answers: a });
    expect(j.verdict).toBe(verdict);
    expect(said(j)).toMatch(text);
  });
});
