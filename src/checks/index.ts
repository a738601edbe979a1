// Every check, in the order a run executes them, and the catalog derived from them: the built
// checks' own entries, then the planned ones. Adding a check: its module in its area, its line in
// the area's index.ts, its judge table test beside it.
import type { CheckDefinition } from '../check-kit/define-check.js';
import type { CatalogEntry } from '../check-kit/entry.js';
import { DOS } from './dos/index.js';
import { EXPOSURE } from './exposure/index.js';
import { HARDENING } from './hardening/index.js';
import { INFERENCE } from './inference/index.js';
import { LIMITS } from './limits/index.js';
import { MEDIAPIPE } from './mediapipe/index.js';
import { PAGE } from './page/index.js';
import { PLANNED } from './planned.js';

/** Run order: the areas that may take the server down on purpose (hostile requests, floods) come last. */
export const CHECKS: readonly CheckDefinition<any>[] = [...HARDENING, ...PAGE, ...EXPOSURE, ...MEDIAPIPE, ...LIMITS, ...DOS, ...INFERENCE];

export type CatalogItem = CatalogEntry & { implemented: boolean; alsoRunsWhen?: CheckDefinition['alsoRunsWhen'] };

const entry = (d: CheckDefinition<any>): CatalogItem => ({
  id: d.id, title: d.title, clause: d.clause, requirement: d.requirement, profile: d.profile, remediation: d.remediation, impact: d.impact,
  implemented: true, ...(d.alsoRunsWhen ? { alsoRunsWhen: d.alsoRunsWhen } : {}),
});

export const CATALOG: readonly CatalogItem[] = [...CHECKS.map(entry), ...PLANNED.map((p) => ({ ...p, implemented: false }))];

export function findCheck(id: string): CatalogItem | undefined {
  return CATALOG.find((c) => c.id === id);
}
