// hardening.no-capabilities: the server process holds no effective capabilities.
import { type Evidence, type Judgement, error, pass, violated } from '../../check-kit/verdict.js';
import { type ServerProc, procLine, survey } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';

export function judgeNoCapabilities(o: { server: ServerProc; capDrop: string[] | null; capAdd: string[] | null }): Judgement {
  const s = o.server;
  const items = [procLine(s), `CapEff: ${s.capEff}`, `CapBnd: ${s.capBnd}`, `inspect CapDrop: ${JSON.stringify(o.capDrop)}, CapAdd: ${JSON.stringify(o.capAdd)}`];
  const evidence: Evidence = { items, observed: { capEff: s.capEff, capBnd: s.capBnd }, expected: { capEff: '0000000000000000' } };
  if (!/^[0-9a-f]+$/i.test(s.capEff)) return error(`CapEff of PID ${s.pid} could not be read`, evidence);
  return /^0+$/.test(s.capEff) ? pass(`the server (PID ${s.pid}) holds no effective capabilities (CapEff 0)`, evidence)
    : violated(`the server (PID ${s.pid}) holds effective capabilities (CapEff ${s.capEff})`, evidence);
}

export default defineCheck({
  id: 'hardening.no-capabilities',
  title: 'the server process holds no effective capabilities',
  clause: 'S1',
  requirement: 'recommended',
  profile: 'quick',
  remediation: 'run as a non-root user and with --cap-drop ALL',
  impact: 'none for OVMS; a server binding ports below 1024 would need --cap-add NET_BIND_SERVICE',
  needs: ['container'],
  async observe(ctx) {
    const [s, info] = await Promise.all([survey(ctx), ctx.target.container().inspect()]);
    return { server: s.server, capDrop: info.HostConfig.CapDrop ?? null, capAdd: info.HostConfig.CapAdd ?? null };
  },
  judge: judgeNoCapabilities,
});
