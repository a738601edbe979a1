// hardening.no-capabilities: the server process holds no effective or permitted capabilities; its
// bounding set is shown (what it could regain), and judged beyond Docker's default by hardening.privileged.
import { type Evidence, type Judgement, error, pass, violated } from '../../check-kit/verdict.js';
import { type ServerProc, procLine, survey } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { beyondDefault, capNames } from '../../docker/capabilities.js';

export function judgeNoCapabilities(o: { server: ServerProc; capDrop: string[] | null; capAdd: string[] | null }): Judgement {
  const s = o.server;
  const [eff, prm, bnd] = [capNames(s.capEff), capNames(s.capPrm), capNames(s.capBnd)];
  const named = (n: string[] | null): string => (n === null ? 'unreadable' : n.length ? n.join(' ') : 'none');
  const items = [
    procLine(s), `CapEff: ${s.capEff} (${named(eff)})`, `CapPrm: ${s.capPrm} (${named(prm)})`, `CapBnd: ${s.capBnd} (${named(bnd)})`,
    `inspect CapDrop: ${JSON.stringify(o.capDrop)}, CapAdd: ${JSON.stringify(o.capAdd)}`,
  ];
  const beyond = bnd ? beyondDefault(bnd) : [];
  const evidence: Evidence = { items, observed: { capEff: s.capEff, capPrm: s.capPrm, capBnd: s.capBnd, boundingBeyondDefault: beyond }, expected: { capEff: '0000000000000000', capPrm: '0000000000000000' } };
  if (eff === null || prm === null) return error(`the capability sets of PID ${s.pid} could not be read`, evidence);
  if (eff.length > 0 || prm.length > 0) return violated(`the server (PID ${s.pid}) holds capabilities: effective ${named(eff)}; permitted ${named(prm)}`, evidence);
  const bounding = bnd === null ? 'its bounding set unreadable' : bnd.length === 0 ? 'none can be regained (bounding set empty)' : `its bounding set holds ${bnd.length}${beyond.length ? `, ${beyond.join(', ')} beyond Docker's default (see hardening.privileged)` : ''}`;
  return pass(`the server (PID ${s.pid}) holds no effective or permitted capabilities (CapEff 0, CapPrm 0); ${bounding}`, evidence);
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
