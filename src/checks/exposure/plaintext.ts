// exposure.plaintext: whether each endpoint answers in plaintext without credentials.
import { type Evidence, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { askPlain, endpointsOf, plainAddress } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';

export interface PlaintextAnswer { protocol: 'REST' | 'gRPC'; address: string; request: string; answered: boolean; answer: string }

export function judgePlaintext(answers: PlaintextAnswer[]): Judgement {
  if (answers.length === 0) return skip('the deployment has no endpoint to ask');
  const items = answers.map((a) => `${a.protocol} ${a.request} to ${a.address} in plaintext, no credential: ${a.answer}${a.answered ? ' (answered)' : ' (not answered)'}`);
  const open = answers.filter((a) => a.answered);
  const evidence: Evidence = { items, observed: Object.fromEntries(answers.map((a) => [`${a.protocol} ${a.address}`, a.answered ? 'answered' : 'refused'])), expected: 'refused, or TLS only' };
  if (open.length > 0) return violated(`${open.map((a) => a.protocol).join(' and ')} answer${open.length === 1 ? 's' : ''} in plaintext without credentials (OVMS has no access control or encryption: put a TLS proxy with authorization in front)`, evidence);
  return pass('no endpoint answers a plaintext request without credentials', evidence);
}

export default defineCheck({
  id: 'exposure.plaintext',
  title: 'whether gRPC and REST answer in plaintext without credentials',
  clause: 'S2',
  requirement: 'recommended',
  profile: 'quick',
  remediation: 'put a TLS-terminating, authorising reverse proxy in front of OVMS',
  impact: "clients need the proxy's address, a CA and credentials; one more component to run",
  needs: [],
  live: true,
  async observe(ctx) {
    const answers: PlaintextAnswer[] = [];
    for (const { protocol, e } of endpointsOf(ctx)) {
      const address = plainAddress(e);
      answers.push({ protocol, address, ...(await askPlain(protocol, address)) });
    }
    return answers;
  },
  judge: judgePlaintext,
});
