import type { TargetInfo } from './schema.js';

/** The first line of every report: which target, and whether it was the stand-in. */
export function headline(target: TargetInfo): string {
  const what = target.standIn
    ? 'STAND-IN (the ovms-validate stand-in server, NOT OpenVINO Model Server)'
    : 'OpenVINO Model Server';
  const image = target.image ? ` image ${target.image}` : '';
  const faults = target.standInFaults.length > 0 ? `, faults: ${target.standInFaults.join(',')}` : '';
  return `ovms-validate report - target ${target.kind}: ${what}${image}${faults}`;
}
