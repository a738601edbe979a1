// S1 of the OVMS security page: non-root user, read-only root filesystem, writable tmpfs /tmp,
// read-only models, no capabilities, no privilege gain. Every verdict is read off the running
// server process (its /proc status and mount table, write attempts as its own user, through the
// harness's probe helper: nothing is needed inside the image) and the image's own files.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe } from 'vitest';
import { defineCheck, stopError, stopSkip, type CheckContext } from '../src/checks/define-check.js';
import { inspectMounts, serverOf, surveyServer, type ServerSurvey } from '../src/checks/server-survey.js';
import {
  judgeDefaultUid, judgeImageUser, judgeModelsReadOnly, judgeNoCapabilities, judgeNoNewPrivileges,
  judgeOverrideUid, judgeReadOnlyRootfs, judgeStartsReadOnly, judgeTmpWritable,
} from '../src/judge/hardening.js';
import { allowedWritable, mountFor } from '../src/judge/mounts.js';
import { judgeCloudStorageTmp, type CloudStoreObs } from '../src/judge/page-clauses.js';
import { bridgeAddress, cloudSpec } from '../src/probes/cloud-start.js';
import { attemptStart } from '../src/probes/start-attempt.js';
import { startAzureEmulator, startS3Emulator, type Emulator } from '../src/stores/emulators.js';
import { storeEnv, storeWhere } from '../src/stores/model-repository.js';
import { checkModelFolder, uploadModelFolder } from '../src/stores/store-client.js';
import { resolveUser } from '../src/docker/user-spec.js';
import { writeErrorLines } from '../src/probes/log-scan.js';
import { dockerRunLine, flagValue } from '../src/docker/container-spec.js';
import type { WriteResult } from '../src/docker/probe-agent.js';

const WRITE_DIRS = ['/', '/etc', '$INSTALL', '$HOME'];
const NO_WRITES = 'the harness never writes into a container it did not start';

/** The model repository inside the container: --model_path, else the folder of --config_path. */
function modelPath(ctx: CheckContext): string {
  const args = ctx.run.target.command?.serverArgs ?? [];
  const p = flagValue(args, '--model_path') ?? (flagValue(args, '--config_path') ? dirname(flagValue(args, '--config_path')!) : undefined);
  return (p ?? ctx.run.options.modelPath).replace(/\/$/, '') || '/';
}

let base: Promise<ServerSurvey> | undefined;
/** One survey for the suite: status, mount table, /tmp, and (when allowed) writes where S1 says none may succeed. */
function survey(ctx: CheckContext): Promise<ServerSurvey> {
  const writes = ctx.run.target.container?.startedBy === 'harness' ? [...WRITE_DIRS, '/tmp', modelPath(ctx)] : [];
  return (base ??= surveyServer(ctx.target.container(), { writes, stat: ['/tmp'], read: ['/etc/passwd'] }));
}

const writesOf = (s: ServerSurvey, dirs: string[]): WriteResult[] => s.reply.writes.filter((w) => dirs.includes(w.dir));
const asWord = (s: ServerSurvey): string => (s.reply.writesAs ? `${s.reply.writesAs.uid}:${s.reply.writesAs.gid}` : `the server's user ${s.server.uid[1]}:${s.server.gid[1]}`);

async function imageUser(ctx: CheckContext, spec: string) {
  const c = ctx.target.container();
  const [passwd, group] = await Promise.all([c.imageFile('/etc/passwd'), c.imageFile('/etc/group')]);
  return { passwd, resolved: resolveUser(spec, passwd, group) };
}

describe('hardening', () => {
  defineCheck('hardening.image-user', {
    needs: ['container'], live: false,
    async observe(ctx) {
      const c = ctx.target.container();
      const user = (await c.image()).Config.User ?? '';
      const { passwd, resolved } = await imageUser(ctx, user);
      return { image: c.ref.image, imageId: c.ref.imageId, user, passwd: passwd === null ? 'absent' as const : 'read' as const, resolved };
    },
    judge: judgeImageUser,
  });

  defineCheck('hardening.default-uid', {
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

  defineCheck('hardening.override-uid', {
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

  defineCheck('hardening.read-only-rootfs', {
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

  defineCheck('hardening.tmp-writable', {
    needs: ['container'],
    async observe(ctx) {
      const s = await survey(ctx);
      const stat = s.reply.stats.find((x) => x.path === '/tmp') ?? null;
      const as = s.reply.writesAs ?? { uid: s.server.uid[1] ?? 0, gid: s.server.gid[1] ?? 0, groups: s.server.groups };
      return { mounts: s.mounts, stat, write: writesOf(s, ['/tmp'])[0] ?? null, writesAs: asWord(s), as, writesSkipped: s.reply.writesAs ? null : NO_WRITES };
    },
    judge: judgeTmpWritable,
  });

  defineCheck('hardening.starts-read-only', {
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
          !nonRoot ? `started as root${uid === undefined || Number.isNaN(uid) ? ' (the image\'s user)' : ''} (see hardening.override-uid)` : '',
        ].filter(Boolean),
        ready: startup.ready, readiness: startup.readiness, startupMs: startup.ms, startError: startup.error, log, offending: writeErrorLines(log),
      };
    },
    judge: judgeStartsReadOnly,
  });

  defineCheck('hardening.models-read-only', {
    needs: ['container'],
    async observe(ctx) {
      const [s, info] = await Promise.all([survey(ctx), ctx.target.container().inspect()]);
      const path = modelPath(ctx);
      return { modelPath: path, mounts: s.mounts, inspectMounts: inspectMounts(info), write: writesOf(s, [path])[0] ?? null, writesAs: asWord(s), writesSkipped: s.reply.writesAs ? null : NO_WRITES };
    },
    judge: judgeModelsReadOnly,
  });

  defineCheck('hardening.no-capabilities', {
    needs: ['container'],
    async observe(ctx) {
      const [s, info] = await Promise.all([survey(ctx), ctx.target.container().inspect()]);
      return { server: s.server, capDrop: info.HostConfig.CapDrop ?? null, capAdd: info.HostConfig.CapAdd ?? null };
    },
    judge: judgeNoCapabilities,
  });

  defineCheck('hardening.no-new-privileges', {
    needs: ['container'],
    async observe(ctx) {
      const [s, info] = await Promise.all([survey(ctx), ctx.target.container().inspect()]);
      return { server: s.server, securityOpt: info.HostConfig.SecurityOpt ?? null };
    },
    judge: judgeNoNewPrivileges,
  });

  defineCheck('hardening.cloud-storage-tmp', {
    needs: ['variant'], live: false, timeoutMs: 900_000,
    async observe(ctx) {
      const c = ctx.target.container();
      const o = ctx.run.options;
      const ep = ctx.run.docker!;
      const model = o.modelName;
      const base = c.ref.spec;
      // Each start is bounded by the run's startup timeout; the one without the tmpfs by a few times
      // what the start with it took (it ends at once when the server exits, as OVMS does).
      const withTimeout = o.startupTimeoutMs;
      const stores: CloudStoreObs[] = [];
      const emulators: Emulator[] = [];
      try {
        const plans: { emulator: Emulator | null; repo: NonNullable<typeof o.modelRepository>; env: Record<string, string>; prepared: string[] }[] = [];
        if (o.modelRepository) {
          const env = storeEnv(o.modelRepository.kind, process.env);
          ctx.progress(`cloud storage: listing ${o.modelRepository.url}`);
          plans.push({ emulator: null, repo: o.modelRepository, env, prepared: await checkModelFolder(o.modelRepository, env).catch((e: Error) => stopError(e.message)) });
        } else {
          const local = ctx.run.target.modelsHostDir ? join(ctx.run.target.modelsHostDir, model) : null;
          if (!local || !existsSync(local)) stopSkip(`needs the model folder to upload into the emulators (${local ?? 'the harness knows none for this target'}); or give --model-repository`);
          const address = await bridgeAddress(ep);
          if (!address) stopError(`the object-store emulators listen on this machine's Docker bridge address, and the engine at ${ep.host} has no bridge here; give --model-repository with a store the server can reach`);
          for (const start of [() => startS3Emulator(address!, ctx.run.stateDir), () => startAzureEmulator(address!)]) {
            const emulator = await start();
            emulators.push(emulator);
            const repo = emulator.repository('ovms-validate-models', `${model}/`);
            ctx.progress(`cloud storage: ${emulator.name} at ${emulator.endpoint}; uploading ${local}`);
            plans.push({ emulator, repo, env: emulator.env, prepared: await uploadModelFolder(repo, emulator.env, local!) });
          }
        }
        for (const p of plans) {
          const seen = p.emulator?.requests.length ?? 0;
          ctx.progress(`cloud storage: starting a read-only copy with --tmpfs /tmp and --model_path ${p.repo.url}`);
          const withTmpfs = await attemptStart(c, ep, cloudSpec(base, p.repo, model, p.env, true), { role: 'cloud-tmpfs', timeoutMs: withTimeout, model, lines: 'relevant' });
          const fetched = p.emulator ? fetchedKeys(p.emulator, p.repo.bucket, seen) : null;
          let withoutTmpfs = null;
          if (withTmpfs.loaded) {
            ctx.progress('cloud storage: the same start without --tmpfs /tmp');
            const bound = Math.min(withTimeout, Math.max(30_000, 4 * withTmpfs.startupMs));
            withoutTmpfs = await attemptStart(c, ep, cloudSpec(base, p.repo, model, p.env, false), { role: 'cloud-no-tmpfs', timeoutMs: bound, model: null, lines: 'relevant' });
          }
          stores.push({
            store: { kind: p.repo.kind, name: p.emulator?.name ?? 'the given store', where: storeWhere(p.repo, p.env), url: p.repo.url, emulator: p.emulator !== null },
            prepared: p.prepared, fetched, withTmpfs, withoutTmpfs,
          });
        }
      } finally {
        for (const e of emulators) await e.stop().catch(() => undefined);
      }
      return { model, stores };
    },
    judge: judgeCloudStorageTmp,
  });
});

/** Object keys the server fetched from an emulator since request `from` (GETs of objects, not listings). */
function fetchedKeys(e: Emulator, bucket: string, from: number): string[] {
  const lead = e.kind === 's3' ? `/${bucket}/` : `/${new URL(e.endpoint).pathname.split('/')[1]}/${bucket}/`;
  return [...new Set(e.requests.slice(from).filter((r) => r.method === 'GET' && r.status === 200 && r.path.startsWith(lead) && r.path.length > lead.length).map((r) => r.path.slice(lead.length)))];
}
