import type { Report, TargetInfo } from './schema.js';

/**
 * The first line of every report: which target, and what it is. It says OpenVINO Model Server only
 * when the identity judgement did (the server reports itself so and its image is not the stand-in).
 */
export function headline(target: TargetInfo): string {
  const what = target.standIn && !/STAND-IN/.test(target.identity.statement)
    ? `the ovms-validate STAND-IN, NOT OpenVINO Model Server (${target.identity.statement})`
    : target.identity.statement;
  const image = target.image ? `; image ${target.image}` : '';
  const faults = target.standInFaults.length > 0 ? `; faults: ${target.standInFaults.join(',')}` : '';
  const edition = target.pageEdition ? `; judged by the security page edition ${target.pageEdition.edition}` : '';
  return `ovms-validate report - target ${target.kind}: ${what}${image}${faults}${edition}`;
}

/** The first line of the terminal summary and summary.md: the decision, then which target it is about. */
export function firstLine(report: Pick<Report, 'decision' | 'headline'>): string {
  return `${report.decision.line} | ${report.headline}`;
}
