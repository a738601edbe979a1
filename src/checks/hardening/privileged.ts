// hardening.privileged: the server's container holds no privilege beyond Docker's default: not
// privileged, no added capabilities beyond the default set, no devices, seccomp and AppArmor
// confined, no host PID/IPC/UTS namespace; and the server process's bounding set and seccomp mode
// agree. Each finding names the flag as the owner set it.
import { defineCheck } from '../../check-kit/define-check.js';
import { pass, violated, type Evidence, type Judgement } from '../../check-kit/verdict.js';
import { beyondDefault, capName, capNames } from '../../docker/capabilities.js';
import { procLine, survey, type ServerProc } from './common.js';

export interface PrivilegedObs {
  server: ServerProc;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  devices: { host: string; container: string }[];
  securityOpt: string[];
  pidMode: string;
  ipcMode: string;
  utsMode: string;
}

const UNCONFINED = /^(seccomp|apparmor)[=:]unconfined$|^label[=:]disable$/;
const SECCOMP_MODE: Record<number, string> = { 0: 'off', 1: 'strict', 2: 'filtered' };

export function judgePrivileged(o: PrivilegedObs): Judgement {
  const s = o.server;
  const bounding = capNames(s.capBnd);
  const extraBounding = bounding ? beyondDefault(bounding) : [];
  const added = o.capAdd.filter((c) => capName(c) === 'ALL' || beyondDefault([c]).length > 0);
  const findings = [
    ...(o.privileged ? ['--privileged: every capability and device, no seccomp or AppArmor confinement'] : []),
    ...added.map((c) => `--cap-add ${capName(c)}: beyond Docker's default set`),
    ...o.devices.map((d) => `--device ${d.host}:${d.container}: a host device inside the container`),
    ...o.securityOpt.filter((x) => UNCONFINED.test(x)).map((x) => `--security-opt ${x}: confinement off`),
    ...(['pid', 'ipc', 'uts'] as const).filter((n) => ({ pid: o.pidMode, ipc: o.ipcMode, uts: o.utsMode })[n] === 'host').map((n) => `--${n} host: the host's ${n.toUpperCase()} namespace`),
    ...(extraBounding.length > 0 ? [`the server's bounding set holds ${extraBounding.join(', ')} beyond Docker's default (any program it runs can regain them)`] : []),
    ...(s.seccomp === 0 && !o.privileged && !o.securityOpt.some((x) => /^seccomp[=:]unconfined$/.test(x)) ? ['the server runs without seccomp (Seccomp: 0) though no flag asked for it: the engine applies no profile'] : []),
  ];
  const evidence: Evidence = {
    items: [
      procLine(s),
      `inspect: Privileged ${o.privileged}, CapAdd ${JSON.stringify(o.capAdd)}, CapDrop ${JSON.stringify(o.capDrop)}, Devices ${JSON.stringify(o.devices.map((d) => `${d.host}:${d.container}`))}, SecurityOpt ${JSON.stringify(o.securityOpt)}, PidMode "${o.pidMode}", IpcMode "${o.ipcMode}", UTSMode "${o.utsMode}"`,
      `server: CapBnd ${s.capBnd} (${bounding ? (bounding.length ? bounding.join(' ') : 'none') : 'unreadable'}), Seccomp ${s.seccomp ?? 'not shown'} (${s.seccomp === null ? '?' : SECCOMP_MODE[s.seccomp] ?? '?'})`,
      ...findings.map((f) => `FINDING ${f}`),
    ],
    observed: { privileged: o.privileged, capAdd: o.capAdd, devices: o.devices.length, unconfined: o.securityOpt.filter((x) => UNCONFINED.test(x)), hostNamespaces: (['pid', 'ipc', 'uts'] as const).filter((n) => ({ pid: o.pidMode, ipc: o.ipcMode, uts: o.utsMode })[n] === 'host'), boundingBeyondDefault: extraBounding, seccomp: s.seccomp },
    expected: { privileged: false, capAdd: "none beyond Docker's default", devices: 0, unconfined: [], hostNamespaces: [], boundingBeyondDefault: [], seccomp: 2 },
  };
  if (findings.length > 0) return violated(`the server's container holds privileges beyond Docker's default: ${findings.map((f) => f.split(':')[0]).join(', ')}`, evidence);
  return pass(`no privilege beyond Docker's default: not privileged, no capability added beyond the default set, no device, confined, own namespaces; bounding set ${bounding?.length ?? '?'} capabilities, seccomp ${s.seccomp === null ? 'not shown' : SECCOMP_MODE[s.seccomp] ?? s.seccomp}`, evidence);
}

export default defineCheck({
  id: 'hardening.privileged',
  title: "the server's container holds no privilege beyond Docker's default",
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'drop --privileged, --cap-add, --device, --pid/--ipc/--uts host and unconfined seccomp/apparmor from the run command',
  impact: 'whatever needed the privilege must be done outside the server container; OVMS itself needs none',
  needs: ['container'],
  async observe(ctx) {
    const [s, info] = await Promise.all([survey(ctx), ctx.target.container().inspect()]);
    const hc = info.HostConfig as typeof info.HostConfig & { UTSMode?: string; Devices?: { PathOnHost: string; PathInContainer: string }[] };
    return {
      server: s.server, privileged: hc.Privileged === true, capAdd: hc.CapAdd ?? [], capDrop: hc.CapDrop ?? [],
      devices: (hc.Devices ?? []).map((d: { PathOnHost: string; PathInContainer: string }) => ({ host: d.PathOnHost, container: d.PathInContainer })), securityOpt: hc.SecurityOpt ?? [],
      pidMode: hc.PidMode ?? '', ipcMode: hc.IpcMode ?? '', utsMode: hc.UTSMode ?? '',
    };
  },
  judge: judgePrivileged,
});
