// hardening.runtime-socket: no container-runtime API socket (Docker, containerd, CRI-O, Podman), and
// no other socket file from the host, is reachable by the server's user. Judged from the helper by
// the server's own UID and groups against each socket's mode, owner and group (connecting needs
// write permission on the file; a read-only mount does not stop it). Nothing is ever connected to.
import { defineCheck } from '../../check-kit/define-check.js';
import { pass, violated, warn, type Evidence, type Judgement } from '../../check-kit/verdict.js';
import type { SocketFile } from '../../docker/probe-agent.js';
import { procLine, survey, type ServerProc } from './common.js';

export interface RuntimeSocketObs { server: ServerProc; sockets: SocketFile[]; mountsLookedAt: number }

/** Whether the server's effective ids may connect to a Unix socket: write permission on the file. */
export function canConnect(s: Pick<SocketFile, 'mode' | 'uid' | 'gid'>, as: { uid: number; gid: number; groups: readonly number[] }): { ok: boolean; how: string } {
  if (as.uid === 0) return { ok: true, how: 'as root' };
  if (s.uid === as.uid) return { ok: (s.mode & 0o200) !== 0, how: 'as its owner' };
  if (s.gid === as.gid || as.groups.includes(s.gid)) return { ok: (s.mode & 0o020) !== 0, how: `through its group ${s.gid}` };
  return { ok: (s.mode & 0o002) !== 0, how: 'as any user' };
}

export function judgeRuntimeSocket(o: RuntimeSocketObs): Judgement {
  const as = { uid: o.server.uid[1] ?? o.server.uid[0]!, gid: o.server.gid[1] ?? o.server.gid[0]!, groups: o.server.groups };
  const who = `${as.uid}:${as.gid}${as.groups.length ? ` (groups ${as.groups.join(',')})` : ''}`;
  // A socket on a tmpfs was made inside the container: only mounts from outside bring the host's.
  const fromHost = o.sockets.filter((s) => s.fstype !== 'tmpfs');
  const rows = fromHost.map((s) => ({ s, access: canConnect(s, as) }));
  const line = ({ s, access }: (typeof rows)[number]): string =>
    `${s.runtime ? `${s.runtime} API socket` : 'host socket'} ${s.path} (mount ${s.mountPoint} of ${s.mountRoot}, ${s.readOnlyMount ? 'read-only' : 'read-write'} mount): mode ${s.mode.toString(8)} owner ${s.uid}:${s.gid}; ${access.ok ? `REACHABLE by ${who} ${access.how}` : `not reachable by ${who}`}`;
  const evidence: Evidence = {
    items: [procLine(o.server), `socket files on the server's ${o.mountsLookedAt} mounts from outside the image (stat only, never connected to): ${fromHost.length}`, ...rows.map(line)],
    observed: { sockets: rows.map(({ s, access }) => ({ path: s.path, runtime: s.runtime, reachable: access.ok })) },
    expected: { reachable: [] },
  };
  const reachable = rows.filter((r) => r.access.ok);
  if (reachable.length > 0) {
    const runtime = reachable.find((r) => r.s.runtime);
    return violated(runtime
      ? `the ${runtime.s.runtime} API socket ${runtime.s.path} is reachable by the server's user ${who}: whoever controls the server controls the container runtime, root on the host`
      : `the host socket ${reachable[0]!.s.path} is reachable by the server's user ${who}`, evidence);
  }
  const present = rows.find((r) => r.s.runtime);
  if (present) return warn(`the ${present.s.runtime} API socket ${present.s.path} is mounted into the server's container, though its user ${who} cannot reach it (another user in the container could)`, evidence);
  return pass(`no socket file from the host is reachable by the server's user ${who} (${o.mountsLookedAt} mounts looked at)`, evidence);
}

export default defineCheck({
  id: 'hardening.runtime-socket',
  title: "no container-runtime API socket is reachable by the server's user",
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'do not mount /var/run/docker.sock (or containerd, CRI-O, Podman sockets) into the server container',
  impact: 'none for OVMS, which never talks to a container runtime',
  needs: ['container'],
  async observe(ctx) {
    const s = await survey(ctx);
    return { server: s.server, sockets: s.reply.sockets, mountsLookedAt: s.mounts.filter((m) => m.mountPoint !== '/').length };
  },
  judge: judgeRuntimeSocket,
});
