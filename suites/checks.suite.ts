// The one vitest entry of a run: every check of src/checks in run order, one test each. The run
// description is its only input (vitest's provide/inject); each outcome leaves in task.meta.check,
// progress lines as annotations, and both reach the run through the reporter.
import { afterAll, inject, it, type TestContext } from 'vitest';
import { PROGRESS_ANNOTATION, SharedResources, type CheckContext } from '../src/check-kit/context.js';
import { runCheck, type CheckMeta } from '../src/check-kit/run-check.js';
import { CHECKS } from '../src/checks/index.js';
import { TargetAccess } from '../src/targets/access.js';

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckMeta;
  }
}

class CheckFailed extends Error {}

const run = inject('run');
const target = new TargetAccess(run);
const shared = new SharedResources();
afterAll(async () => {
  await shared.dispose();
  await target.close();
});

for (const def of CHECKS) {
  it(`${def.id}: ${def.title}`, { timeout: def.timeoutMs ?? 120_000 }, async (t: TestContext) => {
    const pending: Promise<unknown>[] = [];
    const ctx: CheckContext = {
      run, target,
      progress: (line) => { pending.push(t.annotate(line, PROGRESS_ANNOTATION).catch(() => undefined)); },
      shared: (key, make, dispose) => shared.get(key, make, dispose),
    };
    const meta = await runCheck(def, ctx);
    await Promise.all(pending);
    t.task.meta.check = meta;
    const o = meta.outcome;
    const line = o.verdict === 'skip' || o.verdict === 'error' ? o.reason : o.summary;
    if (o.verdict === 'skip') t.skip(line);
    if (o.verdict === 'fail' || o.verdict === 'error') throw new CheckFailed(`${o.verdict}: ${line}`);
  });
}
