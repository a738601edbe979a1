// Which server the report is about. It says OpenVINO Model Server only when the server reports
// itself so (KServe server metadata) and its image, inspected by id, does not carry the stand-in's
// label; otherwise the first line says what was reported and why it is not taken as OVMS.
export const STAND_IN_LABEL = 'io.ovms-validate.stand-in';
export const OVMS_NAME = 'OpenVINO Model Server';

export interface Identity {
  reportedName: string | null;
  reportedVersion: string | null;
  /** How the metadata was read, or why it could not be. */
  source: string;
  isOvms: boolean;
  /** The image carries the stand-in's label, or the server itself says it is the stand-in. */
  standIn: boolean;
  /** One line for the report's first line. */
  statement: string;
}

export interface IdentityInput {
  reportedName: string | null;
  reportedVersion: string | null;
  source: string;
  /** Labels of the image by id; null when no image can be inspected (remote target). */
  imageLabels: Record<string, string> | null;
  imageId: string | null;
}

export function judgeIdentity(i: IdentityInput): Identity {
  const reported = i.reportedName === null ? 'no server metadata' : `"${i.reportedName}"${i.reportedVersion ? ` version ${i.reportedVersion}` : ''}`;
  const base = { reportedName: i.reportedName, reportedVersion: i.reportedVersion, source: i.source };
  if (i.imageLabels?.[STAND_IN_LABEL] === 'true') {
    return { ...base, isOvms: false, standIn: true, statement: `the ovms-validate STAND-IN, NOT OpenVINO Model Server: image ${short(i.imageId)} carries the label ${STAND_IN_LABEL}=true (the server reports ${reported})` };
  }
  if (/stand-in/i.test(i.reportedVersion ?? '')) {
    return { ...base, isOvms: false, standIn: true, statement: `the ovms-validate STAND-IN, NOT OpenVINO Model Server: the server reports ${reported}${i.imageLabels === null ? ' (no image to inspect on this target)' : ''}` };
  }
  if (i.reportedName !== OVMS_NAME) {
    return { ...base, isOvms: false, standIn: false, statement: `not taken as OpenVINO Model Server: the server reports ${reported} (${i.source})` };
  }
  const version = i.reportedVersion ? ` ${i.reportedVersion}` : '';
  if (i.imageLabels === null) return { ...base, isOvms: true, standIn: false, statement: `${OVMS_NAME}${version} as the server reports itself (no image to inspect on this target)` };
  return { ...base, isOvms: true, standIn: false, statement: `${OVMS_NAME}${version} (reported by the server; image ${short(i.imageId)})` };
}

const short = (id: string | null): string => (id ? id.replace(/^sha256:/, '').slice(0, 12) : '?');
