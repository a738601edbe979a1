// page.example-command: the page's own example command, run as written with the image under test
// (only the published port moved to 127.0.0.1), judged by the server's reported version.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Evidence, type Judgement, pass, violated, warn } from '../../check-kit/verdict.js';
import { PAGE_COMMAND, deploymentSpec } from '../../ovms/deployment.js';
import { attemptStart } from '../../probes/start-attempt.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { dockerRunLine } from '../../docker/container-spec.js';
import { parseOvmsVersion, portDefault } from '../../ovms/server-version.js';
import { stopSkip } from '../../check-kit/context.js';

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
      portNeeded: { needed: false, why: "the page's command as written" },
    });
    ctx.progress(`page example: ${dockerRunLine(spec, c.ref.image).join(' ')}`);
    const a = await attemptStart(c, ctx.run.docker!, spec, { role: 'page-example', timeoutMs: ctx.run.options.startupTimeoutMs, model: null, lines: 'tail' });
    const id = ctx.run.target.identity;
    return {
      written: PAGE_COMMAND.text, ran: a.command, reportedVersion: id.reportedVersion, versionSource: id.source,
      started: a.loaded, startupMs: a.startupMs, exitCode: a.exitCode, running: a.running, error: a.error, log: a.lines,
      working: `${PAGE_COMMAND.text} --port ${PAGE_COMMAND.grpcPort}`,
    };
  },
  judge: judgeExampleCommand,
});
