// The security page by OVMS release (shared/facts/ovms-page-editions.md): a server is judged by the
// edition its reported version shipped with; an unidentified one by the latest, saying so.
import { parseOvmsVersion } from './server-version.js';

export const PAGE_EDITIONS = ['E1', 'E2', 'E3'] as const;
export type PageEdition = (typeof PAGE_EDITIONS)[number];

export interface EditionInfo { id: PageEdition; firstRelease: string; lastRelease: string | null; says: string }

export const EDITIONS: Record<PageEdition, EditionInfo> = {
  E1: { id: 'E1', firstRelease: '(the seed)', lastRelease: '2025.3', says: 'S1 non-root, read-only root filesystem, /tmp; S2 no TLS or authentication, use a proxy; S3 five DoS limits; S4 MediaPipe graphs checked at request time' },
  E2: { id: 'E2', firstRelease: '2025.4', lastRelease: '2025.4', says: 'E1, plus the API key for the generative endpoints under /v3, local-only binding with --grpc_bind_address/--rest_bind_address, --rest_workers among the DoS limits, an example with an object store and --port 9000' },
  E3: { id: 'E3', firstRelease: '2026.0', lastRelease: null, says: 'E2, plus image URLs refused unless their host is in --allowed_media_domains, redirects only with OVMS_MEDIA_URL_ALLOW_REDIRECTS=1' },
};

export const LATEST_EDITION: PageEdition = 'E3';

/** Whether an edition includes what another introduced (E3 includes E2 and E1). */
export const editionIncludes = (judged: PageEdition, introduced: PageEdition): boolean => PAGE_EDITIONS.indexOf(judged) >= PAGE_EDITIONS.indexOf(introduced);

/** The clause a check verifies tells the edition that introduced it: E2/E3 clauses, else E1. */
export const editionOfClause = (clause: string): PageEdition => (clause === 'E2' || clause === 'E3' ? clause : 'E1');

export interface EditionChoice { edition: PageEdition; how: string }

/** The edition to judge a server by: the user's choice, else its reported version's, else the latest. */
export function chooseEdition(given: PageEdition | null, reportedVersion: string | null): EditionChoice {
  if (given) return { edition: given, how: `chosen with --page-edition${reportedVersion ? ` (the server reports ${reportedVersion})` : ''}` };
  const v = parseOvmsVersion(reportedVersion);
  if (!v) return { edition: LATEST_EDITION, how: `the server reported no OVMS version${reportedVersion ? ` it could be read from ("${reportedVersion}")` : ''}: judged by the latest edition, ${LATEST_EDITION}` };
  const at = (y: number, r: number): boolean => v.year > y || (v.year === y && v.release >= r);
  const edition: PageEdition = at(2026, 0) ? 'E3' : at(2025, 4) ? 'E2' : 'E1';
  return { edition, how: `the server reports ${v.raw}, shipped with edition ${edition} (OVMS ${EDITIONS[edition].firstRelease}${EDITIONS[edition].lastRelease ? `..${EDITIONS[edition].lastRelease}` : '+'})` };
}
