// The server process as the probe agent reports it, in the shape the judgements take.
import type { ServerProc } from '../judge/hardening.js';
import { parseMountinfo, type InspectMount, type MountInfo } from '../judge/mounts.js';
import type { ContainerAccess, SurveyRequest } from '../targets/container-access.js';
import type { AgentReply } from '../docker/probe-agent.js';
import { stopError } from './define-check.js';
import type Dockerode from 'dockerode';

export interface ServerSurvey { reply: AgentReply; server: ServerProc; mounts: MountInfo[] }

export function serverOf(reply: AgentReply): ServerProc | null {
  const p = reply.server ? reply.processes.find((x) => x.pid === reply.server!.pid) : undefined;
  if (!p || !reply.server) return null;
  return { pid: p.pid, how: reply.server.how, name: p.name, argv: p.argv, uid: p.uid, gid: p.gid, groups: p.groups, capEff: p.capEff, capBnd: p.capBnd, noNewPrivs: p.noNewPrivs };
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
