// One validation run: preflight (exit 3 problems), start the target, run the suites through
// vitest, write the report, clean up every container of the run whatever happens.
import { existsSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { CATALOG, inProfile } from './checks/catalog.js';
import { EXIT, EnvironmentError } from './errors.js';
import { selectedChecks, type ResolvedOptions } from './options.js';
import type { RunContext } from './run-context.js';
import { buildReport } from './report/build-report.js';
import { CheckCollector } from './report/collector.js';
import { SuiteOrder } from './suite-order.js';
import { writeReportFiles } from './report/write-report-files.js';
import { writeTerminal } from './report/write-terminal.js';
import type { Report, TargetInfo } from './report/schema.js';
import { containerLog, dockerServerVersion, dockerode, removeManagedContainers } from './target/docker.js';
import { newRunId } from './target/labels.js';
import { PUBLISH_HOST } from './target/hardened-spec.js';
import { configureReaper, prepareImage } from './target/prepare-image.js';
import { startMain } from './target/start-main.js';
import { fetchModels } from './models/download.js';
import { readManifest } from './models/manifest.js';
import { PROJECT_ROOT, toolVersion } from './version.js';

export interface RunIo { progress: (line: string) => void; out: (text: string) => void }

/** The host folder mounted at /models; for `container` with the default folder, filled from the manifest first. */
async function modelsHostDir(opts: ResolvedOptions, progress: (line: string) => void): Promise<string> {
  let dir = opts.modelsDir;
  if (dir === null && opts.target === 'stand-in') dir = fileURLToPath(new URL('fixtures/models', PROJECT_ROOT));
  if (dir === null) {
    dir = fileURLToPath(new URL('models', PROJECT_ROOT));
    const fetched = await fetchModels(readManifest(join(dir, 'manifest.json')), { dir, offline: opts.offline, progress });
    progress(`models: ${fetched.map((f) => `${f.name} ${f.status}`).join(', ')}`);
  }
  const model = join(dir, opts.modelName);
  if (!existsSync(model)) {
    throw new EnvironmentError(`model folder ${model} does not exist; put the model's numbered version folders there, or pass --models-dir DIR`);
  }
  return dir;
}

export async function runValidation(opts: ResolvedOptions, io: RunIo): Promise<{ exitCode: number; report: Report }> {
  const startedAt = new Date();
  const runId = newRunId();
  // testcontainers guesses the Docker host's address (inside a container: the bridge gateway, found
  // by running alpine); the harness publishes on loopback and talks to loopback.
  process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= PUBLISH_HOST;
  await dockerode();
  const models = await modelsHostDir(opts, io.progress);
  await configureReaper(io.progress);
  const leftovers = await removeManagedContainers();
  if (leftovers.length > 0) io.progress(`removed ${leftovers.length} container(s) left over by earlier runs: ${leftovers.join(', ')}`);

  const cleanup = async (): Promise<void> => {
    const removed = await removeManagedContainers(runId).catch(() => []);
    if (removed.length > 0) io.progress(`removed this run's containers: ${removed.join(', ')}`);
  };
  // vitest's own SIGINT handler calls process.exit() 1 ms after the signal; hold any exit until
  // this run's containers are gone, so Ctrl-C never leaves a container behind.
  const realExit = process.exit.bind(process);
  let interrupted: Promise<void> | null = null;
  process.exit = ((code?: number) => {
    if (!interrupted) return realExit(code);
    void interrupted.finally(() => realExit(EXIT.INTERRUPTED));
    return undefined as never;
  }) as typeof process.exit;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    io.progress(`${signal}: stopping, removing this run's containers; no report is written`);
    interrupted = cleanup();
    void interrupted.finally(() => realExit(EXIT.INTERRUPTED));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const prepared = await prepareImage(opts, io.progress);
    io.progress(`starting ${prepared.image} hardened as --user ${opts.user} (ready timeout ${opts.startupTimeoutMs / 1000} s)`);
    const target = await startMain(opts, prepared, models, runId);
    io.progress(target.ready ? `server ready in ${target.startupMs} ms at ${target.restUrl} / ${target.grpcAddress}` : `server did not become ready: ${target.startError}`);

    const context: RunContext = { runId, options: opts, target };
    const collector = new CheckCollector(io.progress);
    const vitest = await startVitest('test', [], {
      root: fileURLToPath(PROJECT_ROOT),
      config: false,
      watch: false,
      include: ['suites/**/*.test.ts'],
      reporters: [collector],
      provide: { run: context },
      fileParallelism: false,
      sequence: { sequencer: SuiteOrder },
      testTimeout: 600_000,
      hookTimeout: 600_000,
    });
    await vitest.close();

    const targetInfo: TargetInfo = {
      kind: opts.target, standIn: target.standIn, image: target.image, imageId: target.imageId,
      serverVersion: target.serverVersion, user: opts.user, command: target.dockerRun,
      restUrl: target.restUrl, grpcAddress: target.grpcAddress, standInFaults: opts.standInFaults,
    };
    const planned = CATALOG.filter((c) => c.implemented && (collector.results.has(c.id) || (selectedChecks(opts, c.id) && inProfile(c, opts.profile)))).map((c) => c.id);
    const report = buildReport({
      toolVersion: toolVersion(), target: targetInfo, profile: opts.profile, startedAt, finishedAt: new Date(),
      endReason: collector.problems.length > 0 ? 'failed' : 'completed',
      environment: { node: process.version, dockerServerVersion: await dockerServerVersion(), host: hostname() },
      planned, results: collector.results, problems: collector.problems,
    });
    const serverLog = target.containerId && target.ready ? await containerLog(target.containerId).catch(() => target.startLog) : target.startLog;
    writeReportFiles(opts.reportDir, report, { 'server.log': serverLog.join('\n') + '\n' });
    io.out(writeTerminal(report, opts.reportDir));
    for (const p of collector.problems) io.progress(`suite problem: ${p}`);
    const failed = report.summary.fail + report.summary.error > 0;
    return { exitCode: failed ? EXIT.CHECK_FAILED : EXIT.OK, report };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (!interrupted) process.exit = realExit;
    rmSync(join(tmpdir(), `ovms-validate-${runId}`), { recursive: true, force: true });
    await (interrupted ?? cleanup());
  }
}
