// page.example-command: the page's own example command, run as written with the image under test
// (only the published port moved to 127.0.0.1), judged by the server's reported version.
import { clip } from '../../clip.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Evidence, type Judgement, pass, violated, warn } from '../../check-kit/verdict.js';
import { PAGE_COMMAND, PAGE_COMMAND_E2, deploymentSpec } from '../../ovms/deployment.js';
import type { PageEdition } from '../../ovms/page-editions.js';
import type { CheckContext } from '../../check-kit/context.js';
import { bridgeAddress } from '../../probes/cloud-start.js';
import { startS3Emulator } from '../../stores/emulators.js';
import { uploadModelFolder } from '../../stores/store-client.js';
import { attemptStart } from '../../probes/start-attempt.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { dockerRunLine } from '../../docker/container-spec.js';
import { parseOvmsVersion, portDefault } from '../../ovms/server-version.js';
import { stopError, stopSkip } from '../../check-kit/context.js';

export interface ExampleCommandObs {
  /** The page edition whose example ran (E1's, or E2's with an object store). */
  edition: PageEdition;
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
  const e1 = o.edition === 'E1';
  const evidence: Evidence = {
    items: [
      `the page (edition ${o.edition}): ${o.written}`,
      `ran: ${o.ran} (its flags ${e1 ? 'and volume ' : ''}as written; the port published on 127.0.0.1 only; --rm left out, the harness removes the container${e1 ? '' : "; the bucket is the harness's S3 emulator, reached with its variables"})`,
      `server version: ${o.reportedVersion ?? 'unknown'} (${o.versionSource}); ${e1 ? d.why : 'the command gives --port 9000 itself'}`,
      `outcome: ${outcome}`,
      ...o.log.slice(-8).map((l) => `server: ${clip(l, 300)}`),
    ],
    observed: { started: o.started, exitCode: o.exitCode, message: said ?? null, reportedVersion: o.reportedVersion },
    expected: !e1 || d.port === 9178 ? { started: true } : d.port === 0 ? { exitCode: 64, message: PORT_UNSET } : { started: 'depends on the version' },
  };
  if (!e1) {
    if (o.started) return pass(`the page's ${o.edition} command starts ${o.reportedVersion ? `OVMS ${o.reportedVersion}` : 'the server'} as written, serving its model from the object store`, evidence);
    return violated(`the page's ${o.edition} command ${outcome}${o.log.length ? `; last line: ${clip(o.log.at(-1)!, 200)}` : ''}`, evidence);
  }
  if (o.started) {
    return pass(`the page's command starts ${o.reportedVersion ? `OVMS ${o.reportedVersion}` : 'the server'} as written${d.port === 0 ? ' (its --port default is 0 by its version, yet it started: the image sets a port itself)' : ''}`, evidence);
  }
  if (o.exitCode === 64 && said) {
    if (d.port === 9178) return violated(`the page's command exits 64 ("${PORT_UNSET}") although ${o.reportedVersion} should default --port to 9178`, evidence);
    return warn(`the page's command does not start this server as written: it exits 64 "${PORT_UNSET}" (${v ? `--port defaults to 0 since 2025.1; this is ${o.reportedVersion}` : 'version unknown'}); add --port 9178: ${o.working}`, evidence);
  }
  return violated(`the page's command ${outcome}${o.log.length ? `; last line: ${clip(o.log.at(-1)!, 200)}` : ''}`, evidence);
}

async function observeE1(ctx: CheckContext): Promise<ExampleCommandObs> {
  const c = ctx.target.container();
  const models = ctx.run.target.modelsHostDir;
  if (!models) stopSkip("needs the models folder the page's command mounts at /models; the harness knows none for this target (give --models-dir)");
  if (!existsSync(join(models!, 'resnet'))) stopSkip(`the page's command serves /models/resnet/, and the models folder ${models} has no resnet folder`);
  const spec = deploymentSpec({
    deployment: 'page', image: c.ref.imageId, invokingUser: ctx.run.invokingUser, user: ctx.run.invokingUser, modelsHostDir: models!,
    modelName: 'resnet', modelPath: '/models/resnet/', grpcPort: PAGE_COMMAND.grpcPort, restPort: 0, serverArgs: [],
    // The stand-in's own switches (its faults and limits) travel with it; a real image gets none.
    env: c.ref.startedBy === 'harness' ? c.ref.spec.env : [],
    readOnly: true, tmpfs: true, modelsReadOnly: false, capDropAll: false, noNewPrivileges: false,
    portNeeded: { needed: false, why: "the page's command as written" }, apiKeyFile: null,
  });
  ctx.progress(`page example: ${dockerRunLine(spec, c.ref.image).join(' ')}`);
  const a = await attemptStart(c, ctx.run.docker!, spec, { role: 'page-example', timeoutMs: ctx.run.options.startupTimeoutMs, model: null, lines: 'tail' });
  const id = ctx.run.target.identity;
  return {
    edition: 'E1', written: PAGE_COMMAND.text, ran: a.command, reportedVersion: id.reportedVersion, versionSource: id.source,
    started: a.loaded, startupMs: a.startupMs, exitCode: a.exitCode, running: a.running, error: a.error, log: a.lines,
    working: `${PAGE_COMMAND.text} --port ${PAGE_COMMAND.grpcPort}`,
  };
}

/** E2 and later: the model from s3://bucket/model, here the harness's S3 emulator on the Docker bridge. */
async function observeE2(ctx: CheckContext): Promise<ExampleCommandObs> {
  const c = ctx.target.container();
  const ep = ctx.run.docker!;
  const local = ctx.run.target.modelsHostDir ? join(ctx.run.target.modelsHostDir, ctx.run.options.modelName) : null;
  if (!local || !existsSync(local)) stopSkip(`the page's ${ctx.run.pageEdition.edition} command serves a model from s3://bucket/model: needs the model folder to put there (${local ?? 'the harness knows none for this target'})`);
  const address = await bridgeAddress(ep);
  if (!address) stopError("the S3 emulator listens on this machine's Docker bridge address, and the engine has no bridge here");
  const emulator = await startS3Emulator(address!, ctx.run.stateDir);
  try {
    const repo = emulator.repository(PAGE_COMMAND_E2.bucket, PAGE_COMMAND_E2.prefix);
    ctx.progress(`page example (${ctx.run.pageEdition.edition}): ${emulator.name} at ${emulator.endpoint}; uploading ${local}`);
    await uploadModelFolder(repo, emulator.env, local!);
    const spec = deploymentSpec({
      deployment: 'page', image: c.ref.imageId, invokingUser: ctx.run.invokingUser, user: ctx.run.invokingUser, modelsHostDir: '/unused',
      modelName: PAGE_COMMAND_E2.modelName, modelPath: repo.url.replace(/\/$/, ''), grpcPort: PAGE_COMMAND_E2.grpcPort, restPort: 0, serverArgs: [],
      env: [...(c.ref.startedBy === 'harness' ? c.ref.spec.env : []), ...Object.entries(emulator.env).map(([k, v]) => `${k}=${v}`)],
      readOnly: true, tmpfs: true, modelsReadOnly: false, capDropAll: false, noNewPrivileges: false,
      portNeeded: { needed: true, why: 'the command gives --port 9000' }, apiKeyFile: null,
    });
    // E2's command mounts no volume: the model comes from the store.
    spec.host.Binds = [];
    ctx.progress(`page example: ${dockerRunLine(spec, c.ref.image).join(' ')}`);
    const a = await attemptStart(c, ep, spec, { role: 'page-example', timeoutMs: ctx.run.options.startupTimeoutMs, model: PAGE_COMMAND_E2.modelName, lines: 'tail' });
    const id = ctx.run.target.identity;
    return {
      edition: ctx.run.pageEdition.edition, written: PAGE_COMMAND_E2.text, ran: a.command, reportedVersion: id.reportedVersion, versionSource: id.source,
      started: a.loaded, startupMs: a.startupMs, exitCode: a.exitCode, running: a.running, error: a.error, log: a.lines, working: PAGE_COMMAND_E2.text,
    };
  } finally {
    await emulator.stop().catch(() => undefined);
  }
}

export default defineCheck({
  id: 'page.example-command',
  title: "the page's own example command starts the server with the image under test",
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: "add --port 9178 to the page's command: docker run --rm -d --user $(id -u):$(id -g) --read-only --tmpfs /tmp -v ${PWD}/models/:/models -p 9178:9178 openvino/model_server:latest --model_path /models/resnet/ --model_name resnet --port 9178",
  impact: 'none: the port the page publishes is the one the server then listens on',
  needs: ['variant'], live: false, timeoutMs: 300_000,
  async observe(ctx) {
    return ctx.run.pageEdition.edition === 'E1' ? observeE1(ctx) : observeE2(ctx);
  },
  judge: judgeExampleCommand,
});
