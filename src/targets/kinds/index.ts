// The target kinds. Adding one: a file in this folder implementing TargetKindImpl, its line here,
// its options in src/options.ts, and its section in the README.
import type { TargetKind } from '../../options/resolved-options.js';
import { attachKind } from './attach.js';
import { containerKind } from './container.js';
import type { TargetKindImpl } from './kind.js';
import { remoteKind } from './remote.js';
import { standInKind } from './stand-in.js';

export const KINDS: Record<TargetKind, TargetKindImpl<unknown>> = {
  container: containerKind as TargetKindImpl<unknown>,
  'stand-in': standInKind as TargetKindImpl<unknown>,
  attach: attachKind as TargetKindImpl<unknown>,
  remote: remoteKind as TargetKindImpl<unknown>,
};
