// hardening.override-uid: with --user U:G the server runs as U:G, and U is not 0.
import { type Evidence, type Judgement, error, pass, skip, violated } from '../../check-kit/verdict.js';
import type { ResolvedUser } from '../../docker/user-spec.js';
import { type ServerProc, describeIds, imageUser, procLine, survey } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';

export interface OverrideUidObs {
  /** The --user the container was started with; null = none (the image's user). */
  requested: string | null;
  /** Where it came from ("given to the harness", "the invoking user's uid:gid", "the container's own --user"). */
  source: string;
  resolved: ResolvedUser | null;
  server: ServerProc;
}

export function judgeOverrideUid(o: OverrideUidObs): Judgement {
  if (o.requested === null) return skip("the container was started without --user; hardening.default-uid judges the image's own user");
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

export default defineCheck({
  id: 'hardening.override-uid',
  title: 'with --user U:G the server runs as U:G, and U is not 0',
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'run with --user UID:GID naming a non-root account, e.g. --user 5000:5000',
  impact: 'the model folder must be readable by that UID and GID',
  needs: ['container'],
  async observe(ctx) {
    const c = ctx.target.container();
    const ours = c.ref.startedBy === 'harness';
    const requested = ours ? ctx.run.options.user : c.ref.spec.user;
    const source = ours ? (ctx.run.options.userSource === 'option' ? 'given to the harness' : "the invoking user's uid:gid, the harness's default") : "the container's own --user";
    const resolved = requested === null ? null : (await imageUser(ctx, requested)).resolved;
    return { requested, source, resolved, server: (await survey(ctx)).server };
  },
  judge: judgeOverrideUid,
});
