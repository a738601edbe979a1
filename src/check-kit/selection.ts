// Which checks a run plans: the profile (quick < nightly < acceptance), --only and --exclude by id
// or area, and a check's own extra condition.
import type { ResolvedOptions } from '../options/resolved-options.js';
import type { CheckDefinition } from './define-check.js';
import { inProfile, type CatalogEntry } from './entry.js';

export function selectedChecks(opts: Pick<ResolvedOptions, 'only' | 'exclude'>, id: string): boolean {
  const matches = (sel: readonly string[]): boolean => sel.some((s) => s === id || s === id.split('.')[0]);
  if (opts.only.length > 0 && !matches(opts.only)) return false;
  return !matches(opts.exclude);
}

/** Whether a run's options plan the check: its profile, or its own condition (any profile). */
export function runsIn(check: CatalogEntry & Partial<Pick<CheckDefinition, 'alsoRunsWhen'>>, o: ResolvedOptions): boolean {
  return inProfile(check, o.profile) || (check.alsoRunsWhen?.(o) ?? false);
}

/** Planned by the run: selected and in its profile. */
export const planned = (check: CatalogEntry & Partial<Pick<CheckDefinition, 'alsoRunsWhen'>>, o: ResolvedOptions): boolean => selectedChecks(o, check.id) && runsIn(check, o);
