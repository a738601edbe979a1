// A check is one module: its catalog entry, what it needs from the target, and two parts, `observe`
// (probes the target, returns plain data) and `judge` (a pure function of that data, table-tested
// beside the module). defineCheck only types and validates the definition; running it is
// run-check.ts's, listing it in run order the area index's.
import type { ResolvedOptions } from '../options/resolved-options.js';
import type { CheckContext } from './context.js';
import { AREAS, type CatalogEntry } from './entry.js';
import type { Need } from './needs.js';
import type { Judgement } from './verdict.js';

export interface CheckDefinition<O = unknown> extends CatalogEntry {
  needs: readonly Need[];
  /** Used when the target has them, judged without otherwise (e.g. /metrics, the command line). */
  uses?: readonly Need[];
  /** Needs the server up and ready (default: when it needs an endpoint or the container). */
  live?: boolean;
  /** Runs even after an earlier check took the server down (dos.recovery judges exactly that). */
  runsAfterCasualty?: boolean;
  timeoutMs?: number;
  /** Also planned outside its profile when this holds (e.g. a store of the user's is given). */
  alsoRunsWhen?: (o: ResolvedOptions) => boolean;
  observe(ctx: CheckContext): Promise<O>;
  judge(observation: O): Judgement;
}

const ID = new RegExp(`^(${AREAS.join('|')})\\.[a-z0-9]+(-[a-z0-9]+)*$`);

export function defineCheck<O>(d: CheckDefinition<O>): CheckDefinition<O> {
  if (!ID.test(d.id)) throw new Error(`check id '${d.id}' is not area.kebab-name with a known area`);
  return d;
}

/** Whether the check runs in a live server's company: an endpoint or the container. */
export function needsLiveServer(d: Pick<CheckDefinition, 'needs' | 'live'>): boolean {
  return d.live ?? d.needs.some((n) => n !== 'variant' && n !== 'command');
}
