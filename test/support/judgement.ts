// What a judgement says, whichever verdict it is: for judge tests.
import type { Judgement } from '../../src/check-kit/verdict.js';

export const said = (j: Judgement): string => ('summary' in j ? j.summary : j.reason);
export const shown = (j: Judgement): string => (j.evidence?.items ?? []).join('\n');
