// What the suites process sends back to the run, one message per event, over the child's IPC
// channel: the only way results travel from the checks to the report.
import type { CheckMeta } from '../check-kit/run-check.js';
import type { RunDescription } from '../check-kit/run-description.js';

export type SuitesMessage =
  | { type: 'check'; meta: CheckMeta }
  | { type: 'progress'; line: string }
  | { type: 'problem'; text: string }
  | { type: 'done' };

export interface SuitesStart { type: 'start'; run: RunDescription }
