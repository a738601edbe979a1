// Tries to create a file as the container's runtime user and classifies what the kernel said.
import { randomUUID } from 'node:crypto';
import { execIn } from '../target/docker.js';

export type WriteOutcome = 'written' | 'EROFS' | 'EACCES' | 'ENOENT' | 'ENOSPC' | 'other';

export interface WriteAttempt { dir: string; path: string; outcome: WriteOutcome; message: string }

export function classifyWriteError(stderr: string): WriteOutcome {
  if (/read-only file system/i.test(stderr)) return 'EROFS';
  if (/permission denied/i.test(stderr)) return 'EACCES';
  if (/no such file or directory/i.test(stderr)) return 'ENOENT';
  if (/no space left/i.test(stderr)) return 'ENOSPC';
  return 'other';
}

export async function attemptWrite(containerId: string, dir: string): Promise<WriteAttempt> {
  const path = `${dir.replace(/\/$/, '')}/.ovms-validate-${randomUUID().slice(0, 8)}`;
  const r = await execIn(containerId, ['touch', path]);
  if (r.exitCode === 0) {
    await execIn(containerId, ['rm', '-f', path]);
    return { dir, path, outcome: 'written', message: 'created' };
  }
  const message = r.stderr.trim() || r.stdout.trim() || `exit ${r.exitCode}`;
  return { dir, path, outcome: classifyWriteError(message), message };
}

export function describeAttempt(a: WriteAttempt, user: string): string {
  return `touch ${a.path} as ${user}: ${a.outcome === 'written' ? 'succeeded' : `${a.outcome} (${a.message})`}`;
}
