// Facts about a container's PID 1 from /proc/1/status: the live UID/GID, capabilities, NoNewPrivs.
import { execIn } from '../target/docker.js';

export interface ProcessStatus {
  uid: number[];
  gid: number[];
  capEff: string;
  capBnd: string;
  noNewPrivs: number | null;
  name: string;
}

export function parseProcStatus(text: string): ProcessStatus {
  const field = (name: string): string | undefined => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const ids = (name: string): number[] => (field(name) ?? '').split(/\s+/).filter(Boolean).map(Number);
  const nnp = field('NoNewPrivs');
  return {
    uid: ids('Uid'),
    gid: ids('Gid'),
    capEff: field('CapEff') ?? '',
    capBnd: field('CapBnd') ?? '',
    noNewPrivs: nnp === undefined ? null : Number(nnp),
    name: field('Name') ?? '',
  };
}

export async function readProcessStatus(containerId: string, pid = 1): Promise<ProcessStatus> {
  const r = await execIn(containerId, ['cat', `/proc/${pid}/status`]);
  if (r.exitCode !== 0) throw new Error(`cat /proc/${pid}/status failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  return parseProcStatus(r.stdout);
}

/** "1000 (real 1000, effective 1000, saved 1000, fs 1000)" style text for evidence. */
export function describeIds(ids: number[]): string {
  return ids.length === 4 ? `${ids[1]} (real ${ids[0]}, effective ${ids[1]}, saved ${ids[2]}, fs ${ids[3]})` : ids.join(' ');
}
