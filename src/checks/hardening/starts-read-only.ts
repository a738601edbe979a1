// hardening.starts-read-only: the server becomes ready under --read-only + --tmpfs /tmp + non-root,
// with no write errors in its log.
import { type Evidence, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { survey } from './common.js';
import { writeErrorLines } from '../../probes/log-scan.js';

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

export default defineCheck({
  id: 'hardening.starts-read-only',
  title: 'the server becomes ready under --read-only + --tmpfs /tmp + non-root user, with no write errors in its log',
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'remove whatever the server writes outside /tmp at start (cache dirs, log files), or point it at the tmpfs',
  impact: 'depends on what the server wrote: a cache or log path moves to /tmp or a volume',
  needs: ['container'], live: false,
  async observe(ctx) {
    const c = ctx.target.container();
    const { startup } = ctx.run.target;
    const host = c.ref.spec.host;
    // The live UID when the server runs; the requested user when it never started.
    const uid = startup.ready ? (await survey(ctx)).server.uid[1] : Number((c.ref.spec.user ?? '').split(':')[0] || NaN);
    const nonRoot = uid !== undefined && Number.isFinite(uid) && uid !== 0;
    const tmpfs = Object.keys(host.Tmpfs).includes('/tmp') || host.Mounts.some((m) => m.Type === 'tmpfs' && m.Target === '/tmp');
    const log = await c.logs().catch(() => startup.log);
    return {
      conditions: [host.ReadonlyRootfs ? '--read-only' : '', tmpfs ? '--tmpfs /tmp' : '', nonRoot ? `non-root UID ${uid}` : ''].filter(Boolean),
      missing: [
        !host.ReadonlyRootfs ? 'not started with --read-only (see hardening.read-only-rootfs)' : '',
        !tmpfs ? 'not started with --tmpfs /tmp (see hardening.tmp-writable)' : '',
        !nonRoot ? `started as root${uid === undefined || Number.isNaN(uid) ? " (the image's user)" : ''} (see hardening.override-uid)` : '',
      ].filter(Boolean),
      ready: startup.ready, readiness: startup.readiness, startupMs: startup.ms, startError: startup.error, log, offending: writeErrorLines(log),
    };
  },
  judge: judgeStartsReadOnly,
});
