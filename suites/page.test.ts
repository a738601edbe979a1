// The security page's own example command, run as written with the image under test (only the
// published port moved to 127.0.0.1): whether a reader who copies it gets a running server.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { defineCheck, stopSkip } from '../src/checks/define-check.js';
import { judgeExampleCommand } from '../src/judge/page-clauses.js';
import { attemptStart } from '../src/probes/start-attempt.js';
import { dockerRunLine } from '../src/docker/container-spec.js';
import { deploymentSpec, PAGE_COMMAND } from '../src/ovms/deployment.js';

describe('page', () => {
  defineCheck('page.example-command', {
    needs: ['variant'], live: false, timeoutMs: 300_000,
    async observe(ctx) {
      const c = ctx.target.container();
      const models = ctx.run.target.modelsHostDir;
      if (!models) stopSkip('needs the models folder the page\'s command mounts at /models; the harness knows none for this target (give --models-dir)');
      if (!existsSync(join(models!, 'resnet'))) stopSkip(`the page's command serves /models/resnet/, and the models folder ${models} has no resnet folder`);
      const spec = deploymentSpec({
        deployment: 'page', image: c.ref.imageId, invokingUser: ctx.run.invokingUser, user: ctx.run.invokingUser, modelsHostDir: models!,
        modelName: 'resnet', modelPath: '/models/resnet/', grpcPort: PAGE_COMMAND.grpcPort, restPort: 0, serverArgs: [],
        // The stand-in's own switches (its faults and limits) travel with it; a real image gets none.
        env: c.ref.startedBy === 'harness' ? c.ref.spec.env : [],
        readOnly: true, tmpfs: true, modelsReadOnly: false, capDropAll: false, noNewPrivileges: false,
        portNeeded: { needed: false, why: 'the page\'s command as written' },
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
});
