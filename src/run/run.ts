// One validation run: preflight (report folder, Docker engine, image, target), start the target,
// run the suites in their own process with the run description, swap the report in as a whole,
// and remove every container of the run whatever happens, signals included.
import { chooseEdition } from '../ovms/page-editions.js';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planned as plannedBy } from '../check-kit/selection.js';
import { CATALOG } from '../checks/index.js';
import { EnvironmentError, EXIT, SIGNAL_EXIT } from '../errors.js';
import { REPORT_FILES, type ResolvedOptions } from '../options/resolved-options.js';
import { buildReport } from '../report/build-report.js';
import type { Report } from '../report/schema.js';
import { runEnvironment } from '../report/environment.js';
import { placeholderTarget, targetInfo } from '../report/target-info.js';
import { closeReportFolder, commitReport, openReportFolder, type Protected, type ReportFolder } from '../report/report-folder.js';
import { renderReport } from '../report/render-report.js';
import { appendStepSummary } from '../report/step-summary.js';
import { writeMarkdown } from '../report/write-markdown.js';
import { writeTerminal } from '../report/write-terminal.js';
import type { TargetDescription } from '../targets/target-description.js';
import { removeManagedContainers, type DockerEndpoint, type EngineInfo } from '../docker/client.js';
import { KINDS } from '../targets/kinds/index.js';
import type { StartContext, StartedTarget } from '../targets/kinds/kind.js';
import { newRunId, runOwner } from '../docker/labels.js';
import { storeEnv } from '../stores/model-repository.js';
import { checkModelFolder, StoreError } from '../stores/store-client.js';
import { toolVersion } from '../version.js';
import type { RunDescription } from '../check-kit/run-description.js';
import { prepareEngine } from './engine.js';
import { watchParent } from './parent-watch.js';
import { Redactor } from '../secrets/redaction.js';
import { harnessSecrets } from './harness-secrets.js';
import { endGroup, runSuites } from './suites-process.js';

export interface RunIo {
  progress: (line: string) => void;
  out: (text: string) => void;
  /** The one error line of a run that ends for an environment cause (exit 3). */
  error: (line: string) => void;
}
export interface RunEnv { env: NodeJS.ProcessEnv; docker: DockerEndpoint; invokingUser: string; reportDirSource: string; cwd: string }

/** What the report folder must neither be nor contain: the run's own inputs. */
export function protectedPaths(o: ResolvedOptions, cwd: string): Protected[] {
  return [
    { path: cwd, what: 'the working directory' },
    ...(o.modelsDir ? [{ path: o.modelsDir, what: 'the --models-dir folder' }] : []),
    ...(o.mediapipeConfig ? [{ path: dirname(o.mediapipeConfig), what: 'the folder of the MediaPipe configuration' }] : []),
    ...(o.configFile ? [{ path: o.configFile, what: 'the --config file' }] : []),
    { path: fileURLToPath(new URL('../../models', import.meta.url)), what: "the harness's model cache" },
  ];
}

export async function runValidation(opts: ResolvedOptions, io: RunIo, renv: RunEnv): Promise<{ exitCode: number; report: Report | null }> {
  const startedAt = new Date();
  const runId = newRunId();
  const owner = runOwner();
  const kind = KINDS[opts.target];
  // Preflight: everything checkable before anything starts.
  const folder: ReportFolder = openReportFolder(opts.reportDir, { runId, where: renv.reportDirSource, protect: protectedPaths(opts, renv.cwd) });
  const redactor = new Redactor(harnessSecrets(opts, renv.env));
  const redact = (t: string): string => redactor.text(t);
  // Every line this run prints goes through the redaction layer, whatever check it comes from.
  const progress = (line: string): void => io.progress(redact(line));
  const stateDir = mkdtempSync(join(tmpdir(), `ovms-validate-${runId}-`));
  let engine: EngineInfo | null = null;
  let child: ChildProcess | null = null;
  let target: StartedTarget | null = null;
  let interrupted: NodeJS.Signals | null = null;

  const cleanup = async (): Promise<void> => {
    if (!engine) return;
    const removed = await removeManagedContainers(engine.endpoint, runId).catch(() => []);
    if (removed.length > 0) progress(`removed this run's containers: ${removed.join(', ')}`);
  };
  const environment = (): Report['environment'] => runEnvironment(engine, opts.configFile);
  const render = (report: Report, formats: ResolvedOptions['formats'], extra: Record<string, string> = {}): Record<string, string> =>
    renderReport(report, { formats, reportDir: opts.reportDir, cwd: renv.cwd, redact, extra });
  /** A run that ends without verdicts leaves a report.json saying so, and no verdict files. */
  const writeEnded = (reason: Report['endReason'], detail: string, t: TargetDescription | null, exit?: number): void => {
    const report = buildReport({
      toolVersion: toolVersion(), runId, target: t ? targetInfo(t, opts) : placeholderTarget(opts), profile: opts.profile, startedAt, finishedAt: new Date(),
      endReason: reason, endDetail: detail, environment: environment(), planned: [], results: new Map(), problems: [], ...(exit ? { interruptedExit: exit } : {}),
    });
    try { commitReport(folder, render(report, ['json'])); } catch { /* the run's own error is the one to show */ }
  };

  const onSignal = (signal: NodeJS.Signals, why = `ended by ${signal}`): void => {
    if (interrupted) return;
    interrupted = signal;
    progress(`${why}: stopping, removing this run's containers; report.json will say the run was interrupted`);
    const exit = SIGNAL_EXIT[signal] ?? EXIT.INTERRUPTED;
    const finish = async (): Promise<void> => {
      if (child?.pid) await endGroup(child.pid);
      await cleanup();
      writeEnded('interrupted', `${why} before the checks were done`, target?.description ?? null, exit);
      closeReportFolder(folder);
      rmSync(stateDir, { recursive: true, force: true });
    };
    void finish().finally(() => process.exit(exit));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((s) => [s, () => onSignal(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  const stopWatching = watchParent(() => onSignal('SIGHUP', 'its parent process ended'));

  try {
    const prepared0 = kind.needsDocker ? await prepareEngine(renv.docker, progress) : { engine: null, reaper: false, probeImage: null };
    engine = prepared0.engine;
    const { reaper, probeImage } = prepared0;
    const ctx: StartContext = { runId, owner, stateDir, options: opts, docker: engine?.endpoint ?? null, probeImage, invokingUser: renv.invokingUser, progress };
    if (opts.modelRepository && CATALOG.some((c) => c.id === 'hardening.cloud-storage-tmp' && plannedBy(c, opts))) {
      progress(`model repository: listing ${opts.modelRepository.url}`);
      await checkModelFolder(opts.modelRepository, storeEnv(opts.modelRepository.kind, renv.env)).catch((e: unknown) => {
        throw e instanceof StoreError ? new EnvironmentError(`--model-repository: ${e.message}`) : e;
      });
    }
    const prepared = await kind.prepare(ctx);
    if (interrupted) return await new Promise(() => undefined); // the signal handler ends the process
    target = await kind.start(ctx, prepared);
    redactor.add(target.secrets);
    progress(target.description.identity.statement);

    const run: RunDescription = { runId, owner, stateDir, options: opts, docker: engine?.endpoint ?? null, engineCpus: engine?.cpus ?? null, reaper, probeImage, invokingUser: renv.invokingUser, target: target.description, pageEdition: chooseEdition(opts.pageEdition, target.description.identity.reportedVersion) };
    const { results, problems } = await runSuites(run, { progress }, (c) => { child = c; });
    if (interrupted) return await new Promise(() => undefined);
    const planned = CATALOG.filter((c) => c.implemented && (results.has(c.id) || plannedBy(c, opts))).map((c) => c.id);
    const report = buildReport({
      toolVersion: toolVersion(), runId, target: targetInfo(target.description, opts), profile: opts.profile, startedAt, finishedAt: new Date(),
      endReason: problems.length > 0 ? 'failed' : 'completed', environment: environment(), planned, results, problems, waivers: opts.waivers,
    });
    const log = await target.serverLog();
    const files = render(report, opts.formats, { 'server.log': redact(log.join('\n') + '\n') });
    commitReport(folder, files);
    io.out(redact(writeTerminal(report, opts.reportDir)));
    const summaryFile = renv.env['GITHUB_STEP_SUMMARY'];
    if (summaryFile) {
      // The verdict first, and only the evidence of what did not pass: a step summary is read on one screen.
      const written = appendStepSummary(summaryFile, redact(writeMarkdown(report, { evidence: 'problems' })), opts.reportDir);
      progress(written);
    }
    for (const p of problems) progress(`suite problem: ${p}`);
    // An environment cause is an error line of its own, like every exit 3.
    if (report.decision.exitCode === EXIT.ENVIRONMENT) io.error(redact(report.decision.line));
    return { exitCode: report.decision.exitCode, report };
  } catch (e) {
    if (e instanceof EnvironmentError && !interrupted) writeEnded('environment', e.message, target?.description ?? null);
    throw e;
  } finally {
    if (!interrupted) {
      stopWatching();
      for (const [s, h] of handlers) process.removeListener(s, h);
      await cleanup();
      rmSync(stateDir, { recursive: true, force: true });
      closeReportFolder(folder);
    }
  }
}
