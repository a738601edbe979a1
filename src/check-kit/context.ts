// What a check's observe gets: the run, the target's clients and container access, a way to print
// progress, resources it shares with the other checks of the run, and two ways to end early.
import type { TargetAccess } from '../targets/access.js';
import type { RunDescription } from './run-description.js';
import { error as errorJudgement, skip as skipJudgement, type Judgement } from './verdict.js';

export interface CheckContext {
  run: RunDescription;
  target: TargetAccess;
  /** A line for the terminal while a long probe runs. */
  progress(line: string): void;
  /**
   * A resource the checks of a run share (one survey of the server, one graph server), made by the
   * first check that asks and disposed of after the last check.
   */
  shared<T>(key: string, make: () => T, dispose?: (value: T) => Promise<void> | void): T;
}

/** Annotation type that carries progress lines from a check to the terminal. */
export const PROGRESS_ANNOTATION = 'ovms-validate:progress';

/** Thrown by observe to end the check with a skip or error instead of an observation. */
export class Stop extends Error {
  constructor(readonly judgement: Judgement) { super('stop'); }
}
export const stopSkip = (reason: string): never => { throw new Stop(skipJudgement(reason)); };
export const stopError = (reason: string): never => { throw new Stop(errorJudgement(reason)); };

/** The shared resources of one run, and their disposal. */
export class SharedResources {
  private readonly values = new Map<string, unknown>();
  private readonly disposers: (() => Promise<void> | void)[] = [];

  get<T>(key: string, make: () => T, dispose?: (value: T) => Promise<void> | void): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = make();
    this.values.set(key, value);
    if (dispose) this.disposers.push(() => dispose(value));
    return value;
  }

  async dispose(): Promise<void> {
    for (const d of this.disposers.reverse()) await Promise.resolve(d()).catch(() => undefined);
    this.values.clear();
  }
}
