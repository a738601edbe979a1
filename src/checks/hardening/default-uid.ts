// hardening.default-uid: a copy started without --user runs the server (found by its command, not
// assumed PID 1) as the expected UID, never 0.
import { type Evidence, type Judgement, error, pass, violated } from '../../check-kit/verdict.js';
import { type ServerProc, describeIds, procLine, serverOf } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { dockerRunLine } from '../../docker/container-spec.js';

export type DefaultUidObs =
  | { started: false; expected: number; command: string; error: string; logTail: string[] }
  | { started: true; expected: number; command: string; server: ServerProc | null; serverProblem: string | null };

export function judgeDefaultUid(o: DefaultUidObs): Judgement {
  if (!o.started) {
    return error(`a copy without --user did not start: ${o.error}`, { items: [`started: ${o.command}`, ...o.logTail.map((l) => `log: ${l}`)], observed: { started: false }, expected: { uid: o.expected } });
  }
  if (!o.server) return error(`the server process was not found in the copy without --user: ${o.serverProblem}`);
  const s = o.server;
  const items = [`a copy started without --user: ${o.command}`, procLine(s), `Uid: ${describeIds(s.uid)}`, `Gid: ${describeIds(s.gid)}`, `expected UID ${o.expected} in all four fields; UID 0 never passes`];
  const evidence: Evidence = { items, observed: { uid: s.uid, gid: s.gid, pid: s.pid }, expected: { uid: o.expected } };
  if (s.uid.includes(0)) return violated('without --user the server runs as root (UID 0)', evidence);
  if (s.uid.every((u) => u === o.expected)) return pass(`without --user the server runs as UID ${s.uid[1]}`, evidence);
  return violated(`without --user the server runs as UID ${s.uid[1]}, expected ${o.expected}`, evidence);
}

export default defineCheck({
  id: 'hardening.default-uid',
  title: 'without --user, the server process runs as the expected UID (5000 for OVMS)',
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'use an image whose default user is ovms (UID 5000), or always pass --user with a non-root uid:gid',
  impact: "none for OVMS's own image; a derived image must keep USER ovms",
  needs: ['variant'], live: true,
  async observe(ctx) {
    const c = ctx.target.container();
    const spec = { ...c.ref.spec, user: null };
    const command = dockerRunLine(spec, c.ref.image).join(' ');
    const expected = ctx.run.options.expectedDefaultUid;
    const started = await c.startCopy(spec, 'default-uid');
    if (!started.ok) return { started: false as const, expected, command, error: started.error, logTail: started.log.slice(-10) };
    try {
      const reply = await c.forCopy(started.started.id, spec).survey();
      return { started: true as const, expected, command, server: serverOf(reply), serverProblem: reply.serverProblem };
    } finally {
      await started.started.container.stop({ timeout: 0 }).catch(() => undefined);
    }
  },
  judge: judgeDefaultUid,
});
