// Suites run one after another against one server, in this order: the ones that may take the
// server down on purpose (hostile requests, floods) come last, so they cannot mask the others.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SUITE_ORDER = ['hardening', 'page', 'exposure', 'mediapipe', 'limits', 'dos', 'inference'] as const;

function rank(spec: TestSpecification): number {
  const name = spec.moduleId.split('/').pop()?.replace(/\.test\.ts$/, '') ?? '';
  const i = SUITE_ORDER.indexOf(name as (typeof SUITE_ORDER)[number]);
  return i < 0 ? SUITE_ORDER.length : i;
}

export class SuiteOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}
