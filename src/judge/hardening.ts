// Judgements of S1 (user, read-only root filesystem, /tmp, models, capabilities, privileges):
// pure functions of what the probes observed, table-tested in test/unit/judge-hardening.test.ts.
import type { Evidence, Judgement } from '../checks/verdict.js';
import { error, pass, skip, violated } from '../checks/verdict.js';
import type { StatResult, WriteResult } from '../docker/probe-agent.js';
import { allowedWritable, describeSource, mountFor, type InspectMount, type MountInfo } from './mounts.js';
import type { ResolvedUser } from '../docker/user-spec.js';

/** The server process as the probe agent found it. */
export interface ServerProc {
  pid: number; how: string; name: string; argv: string[];
  uid: number[]; gid: number[]; groups: number[];
  capEff: string; capBnd: string; noNewPrivs: number | null;
}

/** "1000 (real 1000, effective 1000, saved 1000, fs 1000)" */
export function describeIds(ids: readonly number[]): string {
  return ids.length === 4 ? `${ids[1]} (real ${ids[0]}, effective ${ids[1]}, saved ${ids[2]}, fs ${ids[3]})` : ids.join(' ');
}

const procLine = (p: ServerProc): string => `server process PID ${p.pid} (${p.how}): ${p.argv.slice(0, 3).join(' ')}${p.argv.length > 3 ? ' ...' : ''}`;

const WRITE_WORD: Record<WriteResult['outcome'], string> = {
  written: 'succeeded (the file was created, then removed)',
  EROFS: 'EROFS: read-only file system',
  EACCES: 'EACCES: permission denied (file permissions, not a read-only mount)',
  EPERM: 'EPERM: operation not permitted',
  ENOENT: 'ENOENT: the folder does not exist',
  ENOSPC: 'ENOSPC: no space left',
  other: 'failed',
};

export function describeWrite(w: WriteResult, as: string): string {
  return `create a file in ${w.dir} as ${as}: ${WRITE_WORD[w.outcome]}${w.outcome === 'other' ? ` (${w.message})` : ''}`;
}

// hardening.image-user ------------------------------------------------------------------------

export interface ImageUserObs { image: string; imageId: string; user: string; passwd: 'read' | 'absent'; resolved: ResolvedUser }

export function judgeImageUser(o: ImageUserObs): Judgement {
  const items = [
    `image ${o.image} (${o.imageId.replace(/^sha256:/, '').slice(0, 12)}) Config.User = ${JSON.stringify(o.user)}`,
    `image /etc/passwd: ${o.passwd === 'read' ? 'read from the image' : 'absent'}`,
    o.resolved.ok ? `resolved as the runtime does: ${o.resolved.how} -> UID ${o.resolved.uid}, GID ${o.resolved.gid}` : `cannot be resolved: ${o.resolved.error}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { user: o.user, uid: o.resolved.ok ? o.resolved.uid : null, gid: o.resolved.ok ? o.resolved.gid : null, name: o.resolved.ok ? o.resolved.name : null },
    expected: { uid: 'not 0 (OVMS: ovms, UID 5000)' },
  };
  if (!o.resolved.ok) return violated(`the image's user ${JSON.stringify(o.user)} does not resolve: ${o.resolved.error}`, evidence);
  if (o.resolved.uid === 0) return violated(`the image's user ${o.user === '' ? '(unset)' : JSON.stringify(o.user)} is UID 0: root`, evidence);
  return pass(`the image's user ${JSON.stringify(o.user)} is UID ${o.resolved.uid}${o.resolved.name ? ` (${o.resolved.name})` : ''}`, evidence);
}

// hardening.default-uid -----------------------------------------------------------------------

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

// hardening.override-uid ----------------------------------------------------------------------

export interface OverrideUidObs {
  /** The --user the container was started with; null = none (the image's user). */
  requested: string | null;
  /** Where it came from ("given to the harness", "the invoking user's uid:gid", "the container's own --user"). */
  source: string;
  resolved: ResolvedUser | null;
  server: ServerProc;
}

export function judgeOverrideUid(o: OverrideUidObs): Judgement {
  if (o.requested === null) return skip('the container was started without --user; hardening.default-uid judges the image\'s own user');
  const s = o.server;
  const items = [`--user ${o.requested} (${o.source})`, ...(o.resolved?.ok ? [`resolves to ${o.resolved.uid}:${o.resolved.gid} (${o.resolved.how})`] : []), procLine(s), `Uid: ${describeIds(s.uid)}`, `Gid: ${describeIds(s.gid)}`];
  if (!o.resolved?.ok) return error(`--user ${o.requested} cannot be resolved: ${o.resolved?.error ?? 'no passwd'}`, { items, observed: { uid: s.uid }, expected: { user: o.requested } });
  const { uid, gid } = o.resolved;
  const explicitGid = o.requested.includes(':');
  const evidence: Evidence = { items, observed: { uid: s.uid, gid: s.gid }, expected: { uid, ...(explicitGid ? { gid } : {}) } };
  if (!s.uid.every((x) => x === uid) || (explicitGid && !s.gid.every((x) => x === gid))) {
    return violated(`--user ${o.requested} was not applied: the server runs as ${s.uid[1]}:${s.gid[1]}`, evidence);
  }
  if (uid === 0) {
    const why = o.source.startsWith('the invoking user') ? "--user defaulted to the invoking user's uid:gid, and this run is under root" : '--user names UID 0';
    return violated(`the server runs as root (0:${s.gid[1]}): ${why}; pass --user with a non-root uid:gid, e.g. --user 5000:5000`, evidence);
  }
  return pass(`runs as ${s.uid[1]}:${s.gid[1]} as requested`, evidence);
}

// hardening.read-only-rootfs ------------------------------------------------------------------

export interface ReadOnlyRootfsObs {
  readonlyRootfsFlag: boolean | null;
  /** The model repository's mount is judged by hardening.models-read-only (one cause, one failure). */
  modelPath: string;
  server: ServerProc;
  mounts: MountInfo[];
  inspectMounts: InspectMount[];
  /** null: no write attempts (a container the harness did not start), with the reason. */
  writes: WriteResult[] | null;
  writesAs: string;
  writesSkipped: string | null;
}

export function judgeReadOnlyRootfs(o: ReadOnlyRootfsObs): Judgement {
  const models = mountFor(o.mounts, o.modelPath);
  const modelsMount = models && models.mountPoint !== '/' ? models : undefined;
  const writable = o.mounts.filter((m) => !m.readOnly && allowedWritable(m) === null && m !== modelsMount);
  const allowed = o.mounts.filter((m) => !m.readOnly && allowedWritable(m) !== null);
  const root = o.mounts.find((m) => m.mountPoint === '/');
  const items = [
    procLine(o.server),
    `inspect HostConfig.ReadonlyRootfs = ${o.readonlyRootfsFlag ?? 'not readable'}`,
    `mount table of PID ${o.server.pid}: ${o.mounts.length} mounts; / is ${root ? `${root.fstype} ${root.readOnly ? 'ro' : 'rw'}` : 'missing'}`,
    ...writable.map((m) => `WRITABLE ${m.mountPoint}: ${describeSource(m, o.inspectMounts)} (${m.options.join(',')})`),
    `writable but allowed: ${allowed.map((m) => `${m.mountPoint} (${allowedWritable(m)})`).join(', ') || 'none'}`,
    ...(modelsMount ? [`model repository ${modelsMount.mountPoint} (${modelsMount.readOnly ? 'ro' : 'rw'}): judged by hardening.models-read-only`] : []),
    ...(o.writes === null ? [`no write attempts: ${o.writesSkipped}`] : o.writes.map((w) => describeWrite(w, o.writesAs))),
  ];
  const written = (o.writes ?? []).filter((w) => w.outcome === 'written');
  const evidence: Evidence = {
    items,
    observed: {
      readonlyRootfs: o.readonlyRootfsFlag, rootMount: root ? (root.readOnly ? 'ro' : 'rw') : null,
      writableMounts: writable.map((m) => `${m.mountPoint} ${describeSource(m, o.inspectMounts)}`),
      writes: (o.writes ?? []).map((w) => ({ dir: w.dir, outcome: w.outcome })),
    },
    expected: { readonlyRootfs: true, rootMount: 'ro', writableMounts: [], writes: 'EROFS (EACCES and ENOENT prove nothing either way)' },
  };
  const problems = [
    ...(o.readonlyRootfsFlag === false ? ['ReadonlyRootfs is false'] : []),
    ...writable.map((m) => `${m.mountPoint} is writable (${describeSource(m, o.inspectMounts)})`),
    ...written.map((w) => `${w.dir}: a write succeeded`),
  ];
  if (!root) return error(`the mount table of the server (PID ${o.server.pid}) has no root mount`, evidence);
  if (problems.length > 0) return violated(`the root filesystem is not read-only: ${problems.join('; ')}`, evidence);
  const erofs = (o.writes ?? []).filter((w) => w.outcome === 'EROFS').length;
  const writes = o.writes === null ? 'no write attempts' : `${erofs} of ${o.writes.length} writes failed with EROFS`;
  return pass(`read-only: / and every mount but the allowed ones are ro in the server's mount table; ${writes}`, evidence);
}

// hardening.tmp-writable ----------------------------------------------------------------------

export interface TmpWritableObs {
  mounts: MountInfo[];
  stat: StatResult | null;
  write: WriteResult | null;
  writesAs: string;
  as: { uid: number; gid: number; groups: number[] };
  writesSkipped: string | null;
}

/** Whether a directory's mode lets the given ids create a file (owner, group or other bits). */
export function modeAllowsWrite(s: { mode: number; uid: number; gid: number }, as: { uid: number; gid: number; groups: number[] }): boolean {
  if (as.uid === 0) return true;
  if (s.uid === as.uid) return (s.mode & 0o300) === 0o300;
  if (s.gid === as.gid || as.groups.includes(s.gid)) return (s.mode & 0o030) === 0o030;
  return (s.mode & 0o003) === 0o003;
}

export function judgeTmpWritable(o: TmpWritableObs): Judgement {
  const m = mountFor(o.mounts, '/tmp');
  const isTmpfs = m?.mountPoint === '/tmp' && m.fstype === 'tmpfs';
  const size = m?.options.find((x) => x.startsWith('size=')) ?? 'size unset (tmpfs default: half of RAM)';
  const st = o.stat && 'mode' in o.stat ? o.stat : null;
  const items = [
    `mount holding /tmp: ${m ? `${m.fstype} on ${m.mountPoint} (${m.options.join(',')})` : 'none'}; ${size}`,
    `/tmp: ${st ? `mode ${st.mode.toString(8)}, owner ${st.uid}:${st.gid}` : `not stat-able (${o.stat && 'error' in o.stat ? o.stat.error : 'not read'})`}`,
    o.write ? describeWrite(o.write, o.writesAs) : `no write attempt: ${o.writesSkipped}; judged from the mount and the mode for ${o.writesAs}`,
  ];
  const canByMode = st !== null && modeAllowsWrite(st, o.as);
  const evidence: Evidence = {
    items,
    observed: { fstype: m?.fstype ?? null, mountPoint: m?.mountPoint ?? null, readOnly: m?.readOnly ?? null, mode: st ? st.mode.toString(8) : null, write: o.write?.outcome ?? null },
    expected: { fstype: 'tmpfs', mountPoint: '/tmp', readOnly: false, write: 'written' },
  };
  if (!isTmpfs) return violated(`/tmp is not a tmpfs mount (it is on ${m?.mountPoint ?? '?'} ${m?.fstype ?? ''})`, evidence);
  if (m.readOnly) return violated('/tmp is a tmpfs mounted read-only', evidence);
  if (o.write) {
    if (o.write.outcome === 'written') return pass(`/tmp is a tmpfs writable by ${o.writesAs}`, evidence);
    return violated(`/tmp is a tmpfs but ${o.writesAs} cannot write it (${o.write.outcome})`, evidence);
  }
  if (!st) return error('/tmp could not be inspected, and no write was attempted', evidence);
  return canByMode ? pass(`/tmp is a rw tmpfs whose mode ${st.mode.toString(8)} lets ${o.writesAs} write`, evidence)
    : violated(`/tmp is a tmpfs but its mode ${st.mode.toString(8)} (owner ${st.uid}:${st.gid}) does not let ${o.writesAs} write`, evidence);
}

// hardening.models-read-only ------------------------------------------------------------------

export interface ModelsReadOnlyObs { modelPath: string; mounts: MountInfo[]; inspectMounts: InspectMount[]; write: WriteResult | null; writesAs: string; writesSkipped: string | null }

export function judgeModelsReadOnly(o: ModelsReadOnlyObs): Judgement {
  const m = mountFor(o.mounts, o.modelPath);
  const items = [
    `model path ${o.modelPath}: on ${m ? `${m.mountPoint} (${describeSource(m, o.inspectMounts)}, ${m.readOnly ? 'ro' : 'rw'})` : 'no mount'}`,
    o.write ? describeWrite(o.write, o.writesAs) : `no write attempt: ${o.writesSkipped}`,
  ];
  const evidence: Evidence = { items, observed: { mountPoint: m?.mountPoint ?? null, readOnly: m?.readOnly ?? null, write: o.write?.outcome ?? null }, expected: { readOnly: true, write: 'EROFS' } };
  if (!m || m.mountPoint === '/') return violated(`the model path ${o.modelPath} is not a mount of its own (it lies on the root filesystem)`, evidence);
  if (!m.readOnly) return violated(`the model repository ${m.mountPoint} is mounted read-write`, evidence);
  if (o.write && o.write.outcome !== 'EROFS') return violated(`the model repository is mounted ro, but a write ended ${o.write.outcome}`, evidence);
  return pass(`the model repository ${m.mountPoint} is mounted read-only${o.write ? '; a write failed with EROFS' : ''}`, evidence);
}

// hardening.no-capabilities / no-new-privileges -----------------------------------------------

export function judgeNoCapabilities(o: { server: ServerProc; capDrop: string[] | null; capAdd: string[] | null }): Judgement {
  const s = o.server;
  const items = [procLine(s), `CapEff: ${s.capEff}`, `CapBnd: ${s.capBnd}`, `inspect CapDrop: ${JSON.stringify(o.capDrop)}, CapAdd: ${JSON.stringify(o.capAdd)}`];
  const evidence: Evidence = { items, observed: { capEff: s.capEff, capBnd: s.capBnd }, expected: { capEff: '0000000000000000' } };
  if (!/^[0-9a-f]+$/i.test(s.capEff)) return error(`CapEff of PID ${s.pid} could not be read`, evidence);
  return /^0+$/.test(s.capEff) ? pass(`the server (PID ${s.pid}) holds no effective capabilities (CapEff 0)`, evidence)
    : violated(`the server (PID ${s.pid}) holds effective capabilities (CapEff ${s.capEff})`, evidence);
}

export function judgeNoNewPrivileges(o: { server: ServerProc; securityOpt: string[] | null }): Judgement {
  const s = o.server;
  const items = [procLine(s), `NoNewPrivs: ${s.noNewPrivs ?? 'absent'}`, `inspect SecurityOpt: ${JSON.stringify(o.securityOpt)}`];
  const evidence: Evidence = { items, observed: { noNewPrivs: s.noNewPrivs, securityOpt: o.securityOpt }, expected: { noNewPrivs: 1 } };
  if (s.noNewPrivs === null) return error(`NoNewPrivs of PID ${s.pid} could not be read`, evidence);
  return s.noNewPrivs === 1 ? pass(`NoNewPrivs is 1 for the server (PID ${s.pid})`, evidence)
    : violated(`NoNewPrivs is ${s.noNewPrivs} for the server (PID ${s.pid}): it can gain privileges (setuid binaries)`, evidence);
}

// hardening.starts-read-only ------------------------------------------------------------------

export interface StartsReadOnlyObs {
  /** What the start was under: e.g. ["--read-only", "--tmpfs /tmp", "non-root UID 1000"]. */
  conditions: string[];
  /** What was not exercised, each naming the check that judges it. */
  missing: string[];
  ready: boolean;
  readiness: string;
  startupMs: number;
  startError: string | null;
  log: string[];
  offending: string[];
}

export function judgeStartsReadOnly(o: StartsReadOnlyObs): Judgement {
  const shown = o.offending.slice(0, 20);
  const items = [
    `started with ${o.conditions.join(' + ') || 'none of the hardened flags'}`,
    o.ready ? `${o.readiness} answered ready after ${o.startupMs} ms` : `not ready: ${o.startError}`,
    `log lines scanned: ${o.log.length}; write or permission errors found: ${o.offending.length}`,
    ...shown.map((l) => `log: ${l}`),
  ];
  const evidence: Evidence = {
    items, truncated: o.offending.length > shown.length,
    observed: { ready: o.ready, startupMs: o.startupMs, writeErrorLines: o.offending.length }, expected: { ready: true, writeErrorLines: 0 },
  };
  if (!o.ready) return violated(`the server did not become ready: ${o.startError}`, { ...evidence, items: [...items, ...o.log.slice(-10).map((l) => `log tail: ${l}`)] });
  if (o.offending.length > 0) return violated(`ready, but its log shows ${o.offending.length} write or permission error(s), first: ${o.offending[0]}`, evidence);
  if (o.missing.length > 0) return skip(`the property was not exercised: ${o.missing.join('; ')}`, evidence);
  return pass(`ready in ${o.startupMs} ms under ${o.conditions.join(' + ')}, no write errors in the log`, evidence);
}

