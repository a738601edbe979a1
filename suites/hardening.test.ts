// S1 of the OVMS security page: non-root user, read-only root filesystem, writable tmpfs /tmp,
// read-only models, no capabilities, no privilege gain. Every verdict is read off the running
// container (inspect + /proc + write attempts), never off the flags the harness passed.
import { describe } from 'vitest';
import { defineCheck } from '../src/checks/define-check.js';
import { judge, fail, pass, error, skip, warn } from '../src/checks/verdict.js';
import { inspectContainer, inspectImage, execIn } from '../src/target/docker.js';
import { OvmsContainer } from '../src/target/ovms-container.js';
import { runLabels } from '../src/target/labels.js';
import { describeIds, readProcessStatus } from '../src/probes/process-status.js';
import { attemptWrite, describeAttempt } from '../src/probes/write-attempt.js';
import { mountFor, readMounts } from '../src/probes/mounts.js';
import { writeErrorLines } from '../src/probes/log-scan.js';

const isRootUser = (user: string): boolean => user === '' || /^(root|0)(:.*)?$/.test(user);

async function homeOfImageUser(containerId: string, imageUser: string): Promise<string> {
  const passwd = await execIn(containerId, ['cat', '/etc/passwd']);
  const name = imageUser.split(':')[0] ?? '';
  const entry = passwd.stdout.split('\n').map((l) => l.split(':')).find((f) => f[0] === name || f[2] === name);
  return entry?.[5] && entry[5] !== '/' ? entry[5] : '/home/ovms';
}

describe('hardening', () => {
  defineCheck('hardening.image-user', async ({ run }) => {
    const image = await inspectImage(run.target.image);
    if (!image) return error(`image ${run.target.image} is not present`);
    const user = image.Config.User ?? '';
    const evidence = {
      items: [`image ${run.target.image} (${image.Id.slice(7, 19)}) Config.User = ${JSON.stringify(user)}`],
      observed: { user }, expected: { user: 'non-root (OVMS: ovms, UID 5000)' },
    };
    return judge(!isRootUser(user), 'required', `image user is ${user}`, `image user is ${user === '' ? 'unset (root)' : user}: root`, evidence);
  });

  defineCheck('hardening.default-uid', async ({ run }) => {
    const expected = run.options.expectedDefaultUid;
    const variant = new OvmsContainer({ ...run.target.spec, user: undefined, labels: runLabels(run.runId, 'default-uid') }, run.options.startupTimeoutMs);
    const started = await variant.startHardened();
    if (!started.ok) {
      return error(`the server did not start without --user: ${started.error}`, {
        items: started.log.slice(-10), observed: { error: started.error }, expected: { uid: expected },
      });
    }
    try {
      const st = await readProcessStatus(started.started.id);
      const uid = st.uid[1];
      const items = [
        `started without --user: ${run.target.image}`,
        `/proc/1/status (${st.name}) Uid: ${describeIds(st.uid)}`,
        `/proc/1/status Gid: ${describeIds(st.gid)}`,
        `expected UID ${expected} in all four fields`,
      ];
      const evidence = { items, observed: { uid: st.uid, gid: st.gid }, expected: { uid: expected } };
      if (st.uid.every((u) => u === expected)) return pass(`runs as UID ${uid} without --user`, evidence);
      return fail(uid === 0 ? 'runs as root (UID 0) without --user' : `runs as UID ${uid} without --user, expected ${expected}`, evidence);
    } finally {
      await started.started.container.stop({ timeout: 0 });
    }
  }, { needsReadyServer: true });

  defineCheck('hardening.override-uid', async ({ run }) => {
    const requested = run.options.user;
    const [u, g] = requested.split(':').map(Number) as [number, number | undefined];
    const st = await readProcessStatus(run.target.containerId!);
    const items = [
      `--user ${requested} (${run.options.userSource === 'option' ? 'given' : "default: the invoking user's uid:gid"})`,
      `/proc/1/status Uid: ${describeIds(st.uid)}`,
      `/proc/1/status Gid: ${describeIds(st.gid)}`,
    ];
    const evidence = { items, observed: { uid: st.uid, gid: st.gid }, expected: { uid: u, ...(g !== undefined ? { gid: g } : {}) } };
    const uidOk = st.uid.every((x) => x === u);
    const gidOk = g === undefined || st.gid.every((x) => x === g);
    if (!uidOk || !gidOk) return fail(`--user ${requested} was not applied: the server runs as ${st.uid[1]}:${st.gid[1]}`, evidence);
    if (u === 0) {
      const why = run.options.userSource === 'option'
        ? '--user names UID 0'
        : "--user defaulted to the invoking user's uid:gid, and this run is under root";
      return fail(`the server runs as root (0:${st.gid[1]}): ${why}; pass --user with a non-root uid:gid, e.g. --user 5000:5000`, evidence);
    }
    return pass(`runs as ${st.uid[1]}:${st.gid[1]} as requested`, evidence);
  }, { needsReadyServer: true });

  defineCheck('hardening.read-only-rootfs', async ({ run }) => {
    const id = run.target.containerId!;
    const info = await inspectContainer(id);
    const flag = info.HostConfig.ReadonlyRootfs === true;
    const home = await homeOfImageUser(id, (await inspectImage(run.target.image))?.Config.User ?? '');
    const dirs = [...new Set(['/', '/etc', '/ovms', home])];
    const attempts = [];
    for (const d of dirs) attempts.push(await attemptWrite(id, d));
    const user = info.Config.User || '(image user)';
    const items = [`inspect HostConfig.ReadonlyRootfs = ${flag}`, ...attempts.map((a) => describeAttempt(a, user))];
    const evidence = { items, observed: { readonlyRootfs: flag, writes: attempts.map((a) => ({ dir: a.dir, outcome: a.outcome })) }, expected: { readonlyRootfs: true, writes: 'EROFS everywhere' } };
    const bad = attempts.filter((a) => a.outcome !== 'EROFS');
    if (flag && bad.length === 0) return pass(`root filesystem is read-only: ${attempts.length} writes failed with EROFS`, evidence);
    const why = [!flag ? 'ReadonlyRootfs is false' : '', ...bad.map((a) => `${a.dir}: ${a.outcome}`)].filter(Boolean).join('; ');
    return fail(`root filesystem is not read-only (${why})`, evidence);
  }, { needsReadyServer: true });

  defineCheck('hardening.tmp-writable', async ({ run }) => {
    const id = run.target.containerId!;
    const mount = mountFor(await readMounts(id), '/tmp');
    const attempt = await attemptWrite(id, '/tmp');
    const user = (await inspectContainer(id)).Config.User || '(image user)';
    const mode = await execIn(id, ['stat', '-c', '%a %U:%G', '/tmp']);
    const isTmpfs = mount?.target === '/tmp' && mount.fstype === 'tmpfs';
    const size = mount?.options.find((o) => o.startsWith('size=')) ?? 'size unset (tmpfs default: half of RAM)';
    const items = [
      `/proc/mounts for /tmp: ${mount ? `${mount.fstype} on ${mount.target} (${mount.options.join(',')})` : 'no mount'}`,
      `/tmp mode ${mode.stdout.trim() || mode.stderr.trim()}; ${size}`,
      describeAttempt(attempt, user),
    ];
    const evidence = { items, observed: { fstype: mount?.fstype ?? null, mountPoint: mount?.target ?? null, options: mount?.options ?? [], write: attempt.outcome }, expected: { fstype: 'tmpfs', mountPoint: '/tmp', write: 'written' } };
    if (isTmpfs && attempt.outcome === 'written') return pass(`/tmp is a tmpfs writable by ${user}`, evidence);
    if (!isTmpfs) return fail(`/tmp is not a tmpfs mount (it is on ${mount?.target ?? '?'} ${mount?.fstype ?? ''})`, evidence);
    return fail(`/tmp is a tmpfs but ${user} cannot write it (${attempt.outcome})`, evidence);
  }, { needsReadyServer: true });

  defineCheck('hardening.starts-read-only', async ({ run }) => {
    const { target, options } = run;
    const conditions = [
      options.readOnly ? '--read-only' : '',
      options.tmpfs ? '--tmpfs /tmp' : '',
      !/^0(:|$)/.test(options.user) ? `non-root --user ${options.user}` : '',
    ];
    const missing = [
      !options.readOnly ? 'not started with --read-only (see hardening.read-only-rootfs)' : '',
      !options.tmpfs ? 'not started with --tmpfs /tmp (see hardening.tmp-writable)' : '',
      /^0(:|$)/.test(options.user) ? `started as root --user ${options.user} (see hardening.override-uid)` : '',
    ].filter(Boolean);
    const offending = writeErrorLines(target.startLog);
    const shown = offending.slice(0, 20);
    const items = [
      `started with ${conditions.filter(Boolean).join(' + ') || 'none of the hardened flags'}`,
      target.ready ? `GET /v2/health/ready answered 200 after ${target.startupMs} ms (timeout ${options.startupTimeoutMs} ms)` : `not ready: ${target.startError}`,
      `log lines scanned: ${target.startLog.length}; write errors found: ${offending.length}`,
      ...shown.map((l) => `log: ${l}`),
    ];
    const evidence = {
      items, truncated: offending.length > shown.length,
      observed: { ready: target.ready, startupMs: target.startupMs, writeErrorLines: offending.length },
      expected: { ready: true, writeErrorLines: 0 },
    };
    if (!target.ready) return fail(`the server did not become ready: ${target.startError}`, { ...evidence, items: [...items, ...target.startLog.slice(-10).map((l) => `log tail: ${l}`)] });
    if (offending.length > 0) return fail(`ready, but its log shows ${offending.length} write error(s), first: ${offending[0]}`, evidence);
    if (missing.length > 0) return skip(`the property was not exercised: ${missing.join('; ')}`, evidence);
    return pass(`ready in ${target.startupMs} ms under ${conditions.filter(Boolean).join(' + ')}, no write errors in the log`, evidence);
  });

  defineCheck('hardening.models-read-only', async ({ run }) => {
    const id = run.target.containerId!;
    const info = await inspectContainer(id);
    const m = info.Mounts.find((x) => x.Destination === '/models');
    const attempt = await attemptWrite(id, run.options.modelPath.replace(/\/$/, '') || '/models');
    const user = info.Config.User || '(image user)';
    const items = [
      m ? `mount ${m.Source} -> /models (${m.Type}, RW=${m.RW}, mode ${m.Mode || '-'})` : 'no mount at /models',
      describeAttempt(attempt, user),
    ];
    const evidence = { items, observed: { rw: m?.RW ?? null, write: attempt.outcome }, expected: { rw: false, write: 'EROFS' } };
    const ok = m !== undefined && m.RW === false && attempt.outcome === 'EROFS';
    if (ok) return pass('the model repository is mounted read-only; a write failed with EROFS', evidence);
    return warn(`the model repository is ${m ? (m.RW ? 'mounted read-write' : `read-only but the write ended ${attempt.outcome}`) : 'not a mount'}`, evidence);
  }, { needsReadyServer: true });

  defineCheck('hardening.no-capabilities', async ({ run }) => {
    const id = run.target.containerId!;
    const st = await readProcessStatus(id);
    const info = await inspectContainer(id);
    const items = [`/proc/1/status CapEff: ${st.capEff}`, `CapBnd: ${st.capBnd}`, `inspect CapDrop: ${JSON.stringify(info.HostConfig.CapDrop ?? [])}, CapAdd: ${JSON.stringify(info.HostConfig.CapAdd ?? [])}`];
    const evidence = { items, observed: { capEff: st.capEff, capBnd: st.capBnd }, expected: { capEff: '0000000000000000' } };
    const none = /^0+$/.test(st.capEff);
    return none ? pass('PID 1 holds no effective capabilities (CapEff 0)', evidence) : warn(`PID 1 holds effective capabilities (CapEff ${st.capEff})`, evidence);
  }, { needsReadyServer: true });

  defineCheck('hardening.no-new-privileges', async ({ run }) => {
    const id = run.target.containerId!;
    const st = await readProcessStatus(id);
    const info = await inspectContainer(id);
    const items = [`/proc/1/status NoNewPrivs: ${st.noNewPrivs ?? 'absent'}`, `inspect SecurityOpt: ${JSON.stringify(info.HostConfig.SecurityOpt ?? [])}`];
    const evidence = { items, observed: { noNewPrivs: st.noNewPrivs, securityOpt: info.HostConfig.SecurityOpt ?? [] }, expected: { noNewPrivs: 1 } };
    return st.noNewPrivs === 1 ? pass('NoNewPrivs is 1 for PID 1', evidence) : warn(`NoNewPrivs is ${st.noNewPrivs ?? 'absent'}: the process can gain privileges (setuid binaries)`, evidence);
  }, { needsReadyServer: true });
});
