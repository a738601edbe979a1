// The suites process: receives the run description, runs suites/ through vitest's Node API with
// it as the one provided value, and sends each check's outcome and progress back to the run.
// vitest owns this process's signals; the run that started it owns the containers.
import { fileURLToPath } from 'node:url';
import { startVitest, type Reporter, type TestCase, type TestModule } from 'vitest/node';
import { PROGRESS_ANNOTATION } from '../check-kit/context.js';
import { PROJECT_ROOT } from '../version.js';
import type { SuitesMessage, SuitesStart } from './suites-messages.js';

const send = (m: SuitesMessage): void => { process.send?.(m); };

class ForwardingReporter implements Reporter {
  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta().check;
    if (meta) send({ type: 'check', meta });
    else send({ type: 'problem', text: `${testCase.fullName}: ${(testCase.result().errors ?? []).map((e) => e.message).join('; ') || 'no outcome recorded'}` });
  }

  onTestCaseAnnotate(_testCase: TestCase, annotation: { type: string; message: string }): void {
    if (annotation.type === PROGRESS_ANNOTATION) send({ type: 'progress', line: annotation.message });
  }

  onTestModuleEnd(module: TestModule): void {
    for (const e of module.errors()) send({ type: 'problem', text: `${module.moduleId}: ${e.message}` });
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    for (const e of unhandledErrors) send({ type: 'problem', text: `unhandled: ${e.message ?? String(e)}` });
  }
}

// The run that started this process owns it: when the run is gone (killed, or it ended), so is
// this process with every worker it started (it leads their process group).
let finished = false;

/** Everything is sent: the last message is written, then the process ends (nothing it opened may keep it). */
function finish(): void {
  finished = true;
  process.send?.({ type: 'done' } satisfies SuitesMessage, () => process.exit(0));
}
process.once('disconnect', () => {
  if (finished) return;
  try { process.kill(-process.pid, 'SIGKILL'); } catch { process.exit(143); }
});

process.once('message', (msg: SuitesStart) => {
  void (async () => {
    const vitest = await startVitest('test', [], {
      root: fileURLToPath(PROJECT_ROOT),
      config: false,
      watch: false,
      include: ['suites/checks.suite.ts'],
      reporters: [new ForwardingReporter()],
      provide: { run: msg.run },
      fileParallelism: false,
      isolate: false,
      testTimeout: 600_000,
      hookTimeout: 600_000,
    });
    await vitest?.close();
    finish();
  })().catch((e: unknown) => {
    send({ type: 'problem', text: `the suites could not run: ${(e as Error).message}` });
    finish();
  });
});
