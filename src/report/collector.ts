// A vitest reporter that only collects check outcomes (from task.meta.check) and prints one
// progress line per check, plus the progress lines checks print (checks/progress.ts); the report
// itself is built once, after the run, from what it holds.
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { progressLines } from '../checks/progress.js';
import type { CheckMeta } from '../checks/define-check.js';

export class CheckCollector implements Reporter {
  readonly results = new Map<string, CheckMeta>();
  readonly problems: string[] = [];

  constructor(private readonly progress: (line: string) => void) {}

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta().check;
    if (meta) {
      this.results.set(meta.id, meta);
      const o = meta.outcome;
      const line = o.verdict === 'skip' || o.verdict === 'error' ? o.reason : o.summary;
      this.progress(`${o.verdict.toUpperCase().padEnd(5)} ${meta.id} (${meta.durationMs} ms): ${line}`);
    } else {
      const errors = testCase.result().errors ?? [];
      this.problems.push(`${testCase.fullName}: ${errors.map((e) => e.message).join('; ') || 'no outcome recorded'}`);
    }
  }

  onUserConsoleLog(log: Parameters<NonNullable<Reporter['onUserConsoleLog']>>[0]): void {
    for (const line of progressLines(log.content)) this.progress(line);
  }

  onTestModuleEnd(module: TestModule): void {
    for (const e of module.errors()) this.problems.push(`${module.moduleId}: ${e.message}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    for (const e of unhandledErrors) this.problems.push(`unhandled: ${e.message ?? String(e)}`);
  }
}
