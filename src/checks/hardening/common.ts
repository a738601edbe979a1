// What the hardening checks share: the server process as the probe agent found it, one survey of
// it per run (status, mount table, /tmp, and write attempts where S1 says none may succeed), and
// how its ids and write attempts are worded in the evidence.
import { dirname } from 'node:path';
import type Dockerode from 'dockerode';
import type { CheckContext } from '../../check-kit/context.js';
import { stopError } from '../../check-kit/context.js';
import { flagValue } from '../../docker/container-spec.js';
import { parseMountinfo, type InspectMount, type MountInfo } from '../../docker/mounts.js';
import type { AgentReply, WriteResult } from '../../docker/probe-agent.js';
import { resolveUser } from '../../docker/user-spec.js';
import type { ContainerAccess, SurveyRequest } from '../../targets/container-access.js';

/** The server process as the probe agent found it. */
export interface ServerProc {
  pid: number; how: string; name: string; argv: string[];
  uid: number[]; gid: number[]; groups: number[];
  capEff: string; capPrm: string; capBnd: string; noNewPrivs: number | null; seccomp: number | null;
}

/** "1000 (real 1000, effective 1000, saved 1000, fs 1000)" */
export function describeIds(ids: readonly number[]): string {
  return ids.length === 4 ? `${ids[1]} (real ${ids[0]}, effective ${ids[1]}, saved ${ids[2]}, fs ${ids[3]})` : ids.join(' ');
}

export const procLine = (p: ServerProc): string => `server process PID ${p.pid} (${p.how}): ${p.argv.slice(0, 3).join(' ')}${p.argv.length > 3 ? ' ...' : ''}`;

const WRITE_WORD: Record<WriteResult['outcome'], string> = {
  written: 'succeeded (the file was created, then removed)',
  EROFS: 'EROFS: read-only file system',
  EACCES: 'EACCES: permission denied (file permissions, not a read-only mount)',
  EPERM: 'EPERM: operation not permitted',
  ENOENT: 'ENOENT: the folder does not exist',
  ENOSPC: 'ENOSPC: no space left',
  other: 'failed',
};

export function describeWrite(w: WriteResult, as: string): string {
  return `create a file in ${w.dir} as ${as}: ${WRITE_WORD[w.outcome]}${w.outcome === 'other' ? ` (${w.message})` : ''}`;
}

export interface ServerSurvey { reply: AgentReply; server: ServerProc; mounts: MountInfo[] }

export function serverOf(reply: AgentReply): ServerProc | null {
  const p = reply.server ? reply.processes.find((x) => x.pid === reply.server!.pid) : undefined;
  if (!p || !reply.server) return null;
  return {
    pid: p.pid, how: reply.server.how, name: p.name, argv: p.argv, uid: p.uid, gid: p.gid, groups: p.groups,
    capEff: p.capEff, capPrm: p.capPrm, capBnd: p.capBnd, noNewPrivs: p.noNewPrivs, seccomp: p.seccomp,
  };
}

/** Surveys the server; a server that cannot be found is an error of the check, never a verdict. */
export async function surveyServer(c: ContainerAccess, req: SurveyRequest = {}): Promise<ServerSurvey> {
  const reply = await c.survey(req);
  const server = serverOf(reply);
  if (!server) return stopError(`the server process was not found: ${reply.serverProblem ?? 'unknown'}`);
  return { reply, server, mounts: parseMountinfo(reply.mountinfo ?? '') };
}

export function inspectMounts(info: Dockerode.ContainerInspectInfo): InspectMount[] {
  return (info.Mounts ?? []).map((m) => ({ type: m.Type, name: m.Name ?? null, source: m.Source, destination: m.Destination, rw: m.RW }));
}

export const WRITE_DIRS = ['/', '/etc', '$INSTALL', '$HOME'];
export const NO_WRITES = 'the harness never writes into a container it did not start';

/** The model repository inside the container: --model_path, else the folder of --config_path. */
export function modelPath(ctx: CheckContext): string {
  const args = ctx.run.target.command?.serverArgs ?? [];
  const p = flagValue(args, '--model_path') ?? (flagValue(args, '--config_path') ? dirname(flagValue(args, '--config_path')!) : undefined);
  return (p ?? ctx.run.options.modelPath).replace(/\/$/, '') || '/';
}

/** One survey for the suite: status, mount table, /tmp, and (when allowed) writes where S1 says none may succeed. */
export function survey(ctx: CheckContext): Promise<ServerSurvey> {
  const writes = ctx.run.target.container?.startedBy === 'harness' ? [...WRITE_DIRS, '/tmp', modelPath(ctx)] : [];
  return ctx.shared('hardening.survey', () => surveyServer(ctx.target.container(), { writes, stat: ['/tmp'], read: ['/etc/passwd'] }));
}

export const writesOf = (s: ServerSurvey, dirs: string[]): WriteResult[] => s.reply.writes.filter((w) => dirs.includes(w.dir));
export const asWord = (s: ServerSurvey): string => (s.reply.writesAs ? `${s.reply.writesAs.uid}:${s.reply.writesAs.gid}` : `the server's user ${s.server.uid[1]}:${s.server.gid[1]}`);

export async function imageUser(ctx: CheckContext, spec: string) {
  const c = ctx.target.container();
  const [passwd, group] = await Promise.all([c.imageFile('/etc/passwd'), c.imageFile('/etc/group')]);
  return { passwd, resolved: resolveUser(spec, passwd, group) };
}
