// What the catalog says of a check (shared/CHECKS.md): its stable id, what it proves, the page's
// clause it verifies, whether a violation fails or warns, the profile it runs in, the remedy and
// what the remedy costs. Ids are a contract: add new ones, never rename or reuse one.
import { PROFILES, type Profile } from '../options/resolved-options.js';

export const AREAS = ['hardening', 'page', 'exposure', 'limits', 'dos', 'mediapipe', 'inference'] as const;
export type Area = (typeof AREAS)[number];
export type Requirement = 'required' | 'recommended';

export interface CatalogEntry {
  /** area.kebab-name, stable. */
  id: string;
  /** One line: what it proves. */
  title: string;
  /** The page's statement (S1..S4, E2, E3) or a versioned reference. */
  clause: string;
  requirement: Requirement;
  profile: Profile;
  /** The exact flag or command that fixes a violation. */
  remediation: string;
  /** What the remedy costs or breaks (docker-bench's remediationImpact). */
  impact: string;
}

export const areaOf = (id: string): Area => id.split('.')[0] as Area;

export function inProfile(e: Pick<CatalogEntry, 'profile'>, profile: Profile): boolean {
  return PROFILES.indexOf(e.profile) <= PROFILES.indexOf(profile);
}
