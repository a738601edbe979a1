// Judgements of two sentences of the security page taken literally: models from an object store
// under a read-only root filesystem need --tmpfs /tmp (hardening.cloud-storage-tmp), and the page's
// example command starts the server (page.example-command). Pure; table-tested in
// test/unit/judge-page-clauses.test.ts.
import type { Evidence, Judgement } from '../checks/verdict.js';
import { pass, skip, violated, warn } from '../checks/verdict.js';
import type { StartAttempt } from '../probes/start-attempt.js';
import { parseOvmsVersion, portDefault } from '../ovms/server-version.js';

// hardening.cloud-storage-tmp -------------------------------------------------------------------

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

// page.example-command --------------------------------------------------------------------------

export interface ExampleCommandObs {
  /** The page's command as written, and as run (only the published port moved to 127.0.0.1). */
  written: string;
  ran: string;
  reportedVersion: string | null;
  versionSource: string;
  started: boolean;
  startupMs: number;
  exitCode: number | null;
  running: boolean;
  error: string | null;
  log: string[];
  working: string;
}

const PORT_UNSET = 'port and rest_port cannot both be unset';

export function judgeExampleCommand(o: ExampleCommandObs): Judgement {
  const v = parseOvmsVersion(o.reportedVersion);
  const d = portDefault(v);
  const outcome = o.started ? `started and became ready in ${o.startupMs} ms`
    : o.running ? `still running but not ready after ${o.startupMs} ms (${o.error ?? '?'})`
    : o.exitCode !== null ? `exited with code ${o.exitCode}` : `did not start (${o.error ?? 'no error reported'})`;
  const said = o.log.find((l) => l.includes(PORT_UNSET));
  const evidence: Evidence = {
    items: [
      `the page: ${o.written}`,
      `ran: ${o.ran} (its flags and volume as written; the port published on 127.0.0.1 only; --rm left out, the harness removes the container)`,
      `server version: ${o.reportedVersion ?? 'unknown'} (${o.versionSource}); ${d.why}`,
      `outcome: ${outcome}`,
      ...o.log.slice(-8).map((l) => `server: ${l.slice(0, 300)}`),
    ],
    observed: { started: o.started, exitCode: o.exitCode, message: said ?? null, reportedVersion: o.reportedVersion },
    expected: d.port === 9178 ? { started: true } : d.port === 0 ? { exitCode: 64, message: PORT_UNSET } : { started: 'depends on the version' },
  };
  if (o.started) {
    return pass(`the page's command starts ${o.reportedVersion ? `OVMS ${o.reportedVersion}` : 'the server'} as written${d.port === 0 ? ' (its --port default is 0 by its version, yet it started: the image sets a port itself)' : ''}`, evidence);
  }
  if (o.exitCode === 64 && said) {
    if (d.port === 9178) return violated(`the page's command exits 64 ("${PORT_UNSET}") although ${o.reportedVersion} should default --port to 9178`, evidence);
    return warn(`the page's command does not start this server as written: it exits 64 "${PORT_UNSET}" (${v ? `--port defaults to 0 since 2025.1; this is ${o.reportedVersion}` : 'version unknown'}); add --port 9178: ${o.working}`, evidence);
  }
  return violated(`the page's command ${outcome}${o.log.length ? `; last line: ${o.log.at(-1)!.slice(0, 200)}` : ''}`, evidence);
}
