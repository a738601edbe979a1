// Checks the catalog lists (shared/CHECKS.md) that are not built yet: data only, so that ids stay
// reserved, --only accepts them, and the report can say they were not run.
import type { CatalogEntry } from '../check-kit/entry.js';

export const PLANNED: readonly CatalogEntry[] = [];
