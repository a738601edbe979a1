// hardening.no-new-privileges: NoNewPrivs is 1 for the server process.
import { type Evidence, type Judgement, error, pass, violated } from '../../check-kit/verdict.js';
import { type ServerProc, procLine, survey } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';

export function judgeNoNewPrivileges(o: { server: ServerProc; securityOpt: string[] | null }): Judgement {
  const s = o.server;
  const items = [procLine(s), `NoNewPrivs: ${s.noNewPrivs ?? 'absent'}`, `inspect SecurityOpt: ${JSON.stringify(o.securityOpt)}`];
  const evidence: Evidence = { items, observed: { noNewPrivs: s.noNewPrivs, securityOpt: o.securityOpt }, expected: { noNewPrivs: 1 } };
  if (s.noNewPrivs === null) return error(`NoNewPrivs of PID ${s.pid} could not be read`, evidence);
  return s.noNewPrivs === 1 ? pass(`NoNewPrivs is 1 for the server (PID ${s.pid})`, evidence)
    : violated(`NoNewPrivs is ${s.noNewPrivs} for the server (PID ${s.pid}): it can gain privileges (setuid binaries)`, evidence);
}

export default defineCheck({
  id: 'hardening.no-new-privileges',
  title: 'the process cannot gain privileges',
  clause: 'CIS Docker 1.6.0 5.26',
  requirement: 'recommended',
  profile: 'quick',
  remediation: 'run with --security-opt no-new-privileges',
  impact: 'setuid programs in the image stop working (OVMS runs none)',
  needs: ['container'],
  async observe(ctx) {
    const [s, info] = await Promise.all([survey(ctx), ctx.target.container().inspect()]);
    return { server: s.server, securityOpt: info.HostConfig.SecurityOpt ?? null };
  },
  judge: judgeNoNewPrivileges,
});
