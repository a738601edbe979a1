// hardening.cloud-storage-tmp: with the model repository in an object store, a read-only copy of the
// deployment loads its model because /tmp is a writable tmpfs, and fails to load without it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startAzureEmulator, startS3Emulator } from '../../stores/emulators.js';
import { type Evidence, type Judgement, pass, skip, violated, warn } from '../../check-kit/verdict.js';
import { type StartAttempt, attemptStart } from '../../probes/start-attempt.js';
import { bridgeAddress, cloudSpec } from '../../probes/cloud-start.js';
import { checkModelFolder, uploadModelFolder } from '../../stores/store-client.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { stopError, stopSkip } from '../../check-kit/context.js';
import { storeEnv, storeWhere } from '../../stores/model-repository.js';

export interface CloudStoreObs {
  store: { kind: 's3' | 'azure'; name: string; where: string; url: string; emulator: boolean };
  /** Objects the harness uploaded (emulators), or listed before the start (a store of the user's). */
  prepared: string[];
  /** Objects the server fetched, from the emulator's request log; null for a store of the user's. */
  fetched: string[] | null;
  withTmpfs: StartAttempt;
  /** Not run when the start with the tmpfs already failed. */
  withoutTmpfs: StartAttempt | null;
}

export interface CloudObs { model: string; stores: CloudStoreObs[] }

/** The server's line that names the temp folder or the read-only file system, if any. */
const tmpCause = (a: StartAttempt): string | undefined => a.lines.find((l) => /temp(orary)? (folder|path)|Read-only file system|EROFS/i.test(l));

function attemptItems(a: StartAttempt): string[] {
  const end = a.loaded ? `ready after ${a.startupMs} ms` : a.running ? `not ready after ${a.startupMs} ms (${a.error ?? 'no error'})` : `exited with code ${a.exitCode ?? '?'} after ${a.startupMs} ms`;
  return [
    `${a.tmpfs ? 'with' : 'without'} --tmpfs /tmp: ${a.command}`,
    `  /tmp in that container: ${a.tmp}; ${end}`,
    ...(a.inference ? [`  ${a.inference.line}`] : []),
    ...a.lines.map((l) => `  server: ${l}`),
  ];
}

type StoreVerdict = { level: 0 | 1 | 2; line: string };

function judgeStore(s: CloudStoreObs, model: string): StoreVerdict {
  const w = s.withTmpfs;
  const name = `${s.store.kind === 's3' ? 'S3' : 'Azure'} (${s.store.emulator ? s.store.name : s.store.where})`;
  if (!w.loaded) return { level: 2, line: `${name}: with --tmpfs /tmp the read-only server did not load ${model} from ${s.store.url} (${w.running ? w.error : `exit code ${w.exitCode}`}${tmpCause(w) ? `: ${tmpCause(w)}` : ''})` };
  if (!w.inference?.ok) return { level: 2, line: `${name}: the model loaded from ${s.store.url} but did not answer an inference (${w.inference?.line ?? 'none sent'})` };
  if (s.fetched !== null && s.fetched.length === 0) return { level: 1, line: `${name}: the server became ready but the emulator served it no object of ${s.store.url}: the model did not come from the store` };
  const wo = s.withoutTmpfs;
  if (!wo) return { level: 1, line: `${name}: the start without --tmpfs /tmp did not run` };
  if (wo.loaded) return { level: 1, line: `${name}: loaded in ${w.startupMs} ms with --tmpfs /tmp, but also without it (/tmp there was ${wo.tmp}): the read-only root filesystem did not stop the download, so the clause could not be shown for this image` };
  const cause = tmpCause(wo);
  if (!cause) return { level: 1, line: `${name}: loaded in ${w.startupMs} ms with --tmpfs /tmp; without it the server did not load the model, but said nothing about its temp folder (${wo.running ? wo.error : `exit code ${wo.exitCode}`})` };
  return { level: 0, line: `${name}: loaded and answered in ${w.startupMs} ms with --tmpfs /tmp; without it the load failed: "${cause.replace(/^\[[^\]]*\](\[[^\]]*\])*\s*/, '')}"` };
}

export function judgeCloudStorageTmp(o: CloudObs): Judgement {
  if (o.stores.length === 0) return skip('no object store to start the model from');
  const verdicts = o.stores.map((s) => judgeStore(s, o.model));
  const items = o.stores.flatMap((s) => [
    `${s.store.where}; model path ${s.store.url}${s.store.emulator ? ` (${s.store.name}, started by the harness; credentials are the emulator's development ones)` : ' (credentials from the environment, never shown)'}`,
    `  ${s.store.emulator ? 'uploaded' : 'listed'}: ${s.prepared.join(', ') || 'nothing'}`,
    ...(s.fetched !== null ? [`  objects the server fetched (the emulator's request log): ${s.fetched.join(', ') || 'none'}`] : []),
    ...attemptItems(s.withTmpfs),
    ...(s.withoutTmpfs ? attemptItems(s.withoutTmpfs) : []),
  ]);
  const worst = Math.max(...verdicts.map((v) => v.level));
  const evidence: Evidence = {
    items: [...verdicts.map((v) => v.line), ...items],
    observed: Object.fromEntries(o.stores.map((s) => [s.store.kind, {
      withTmpfs: { loaded: s.withTmpfs.loaded, startupMs: s.withTmpfs.startupMs, inference: s.withTmpfs.inference?.ok ?? false, tmp: s.withTmpfs.tmp },
      withoutTmpfs: s.withoutTmpfs ? { loaded: s.withoutTmpfs.loaded, exitCode: s.withoutTmpfs.exitCode, tmp: s.withoutTmpfs.tmp, message: tmpCause(s.withoutTmpfs) ?? null } : null,
      fetched: s.fetched?.length ?? null,
    }])),
    expected: { withTmpfs: 'loaded and answering', withoutTmpfs: 'load fails on the read-only /tmp' },
  };
  const lines = verdicts.filter((v) => v.level === worst).map((v) => v.line).join('; ');
  if (worst === 2) return violated(lines, evidence);
  if (worst === 1) return warn(`inconclusive: ${lines}`, evidence);
  return pass(`the read-only server loads its model from ${o.stores.map((s) => (s.store.kind === 's3' ? 'S3' : 'Azure Blob')).join(' and ')} with --tmpfs /tmp and fails without it`, evidence);
}

/** Object keys the server fetched from an emulator since request `from` (GETs of objects, not listings). */
function fetchedKeys(e: Emulator, bucket: string, from: number): string[] {
  const lead = e.kind === 's3' ? `/${bucket}/` : `/${new URL(e.endpoint).pathname.split('/')[1]}/${bucket}/`;
  return [...new Set(e.requests.slice(from).filter((r) => r.method === 'GET' && r.status === 200 && r.path.startsWith(lead) && r.path.length > lead.length).map((r) => r.path.slice(lead.length)))];
}

export default defineCheck({
  id: 'hardening.cloud-storage-tmp',
  title: 'with the model repository in an object store, the read-only server loads its model because /tmp is a writable tmpfs',
  clause: 'S1',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'add --tmpfs /tmp when --read-only is combined with s3:// / az:// / gs:// model paths (in Kubernetes: an emptyDir volume at /tmp with readOnlyRootFilesystem)',
  impact: 'the downloaded model is held in /tmp, in memory: the tmpfs must be as large as the model',
  alsoRunsWhen: (o) => o.modelRepository !== null,
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
