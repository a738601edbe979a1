// hardening.read-only-rootfs: the server's whole mount table, ReadonlyRootfs, and write attempts as
// the server's own user where nothing may be written.
import { type Evidence, type Judgement, error, pass, violated } from '../../check-kit/verdict.js';
import { type InspectMount, type MountInfo, allowedWritable, describeSource, mountFor } from '../../docker/mounts.js';
import { NO_WRITES, type ServerProc, asWord, describeWrite, inspectMounts, modelPath, procLine, survey, writesOf } from './common.js';
import type { WriteResult } from '../../docker/probe-agent.js';
import { defineCheck } from '../../check-kit/define-check.js';

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

export default defineCheck({
  id: 'hardening.read-only-rootfs',
  title: 'the root filesystem is read-only',
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'run with --read-only (and --tmpfs /tmp)',
  impact: 'the server can write only to /tmp and mounted volumes; whatever it writes elsewhere must move there',
  needs: ['container'],
  async observe(ctx) {
    const c = ctx.target.container();
    const [s, info] = await Promise.all([survey(ctx), c.inspect()]);
    let writes: WriteResult[] | null = null;
    if (c.ref.startedBy === 'harness') {
      writes = writesOf(s, s.reply.writes.map((w) => w.dir).filter((d) => d !== '/tmp' && d !== modelPath(ctx)));
      // Writable mounts beyond the allowed ones get a write attempt too, as a second proof.
      const models = mountFor(s.mounts, modelPath(ctx));
      const extra = s.mounts.filter((m) => !m.readOnly && allowedWritable(m) === null && m.mountPoint !== '/' && m !== models).map((m) => m.mountPoint);
      if (extra.length > 0) writes.push(...(await c.survey({ writes: extra })).writes);
    }
    return {
      readonlyRootfsFlag: info.HostConfig.ReadonlyRootfs === true, modelPath: modelPath(ctx), server: s.server, mounts: s.mounts, inspectMounts: inspectMounts(info),
      writes, writesAs: asWord(s), writesSkipped: writes === null ? NO_WRITES : null,
    };
  },
  judge: judgeReadOnlyRootfs,
});
