import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

export const LABEL_MANAGED = 'io.ovms-validate.managed';
export const LABEL_RUN = 'io.ovms-validate.run';
export const LABEL_OWNER = 'io.ovms-validate.owner';
export const LABEL_ROLE = 'io.ovms-validate.role';

export function newRunId(): string {
  return randomUUID().slice(0, 8);
}

/** owner = host:pid of the harness process; a later run removes containers whose owner is gone. */
export function runLabels(runId: string, role: string): Record<string, string> {
  return { [LABEL_MANAGED]: 'true', [LABEL_RUN]: runId, [LABEL_OWNER]: `${hostname()}:${process.pid}`, [LABEL_ROLE]: role };
}
