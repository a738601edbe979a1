// hardening.tmp-writable: /tmp is a tmpfs the server's user can write (a write attempt, or the mode
// for a container the harness did not start).
import { type Evidence, type Judgement, error, pass, violated } from '../../check-kit/verdict.js';
import { type MountInfo, mountFor } from '../../docker/mounts.js';
import { NO_WRITES, asWord, describeWrite, survey, writesOf } from './common.js';
import type { StatResult, WriteResult } from '../../docker/probe-agent.js';
import { defineCheck } from '../../check-kit/define-check.js';

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

export default defineCheck({
  id: 'hardening.tmp-writable',
  title: '/tmp is a tmpfs the runtime user can write',
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'run with --tmpfs /tmp on an image whose /tmp is mode 1777',
  impact: "/tmp lives in memory and counts against the container's memory; bound it with --tmpfs /tmp:size=...",
  needs: ['container'],
  async observe(ctx) {
    const s = await survey(ctx);
    const stat = s.reply.stats.find((x) => x.path === '/tmp') ?? null;
    const as = s.reply.writesAs ?? { uid: s.server.uid[1] ?? 0, gid: s.server.gid[1] ?? 0, groups: s.server.groups };
    return { mounts: s.mounts, stat, write: writesOf(s, ['/tmp'])[0] ?? null, writesAs: asWord(s), as, writesSkipped: s.reply.writesAs ? null : NO_WRITES };
  },
  judge: judgeTmpWritable,
});
