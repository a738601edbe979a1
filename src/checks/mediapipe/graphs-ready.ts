// mediapipe.graphs-ready: every graph of the MediaPipe configuration reports ready over REST and gRPC.
import { type Evidence, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { type GraphServer, graphServer, where } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { errorText } from '../../protocol/rest-client.js';
import { grpcFailure, rpc } from '../../protocol/grpc-client.js';
import { stopSkip } from '../../check-kit/context.js';

export interface GraphReadiness { name: string; where: string; line: string; ready: boolean }

export function judgeGraphsReady(server: GraphServer, graphs: GraphReadiness[]): Judgement {
  if (!server.started) {
    return violated(`the server did not start with ${server.configPath}: ${server.error}`, { items: server.log.slice(-15).map((l) => `log: ${l}`), observed: { started: false }, expected: { started: true } });
  }
  if (graphs.length === 0) return skip(`${server.configPath} declares no MediaPipe graph`);
  const loadErrors = server.log.filter((l) => /Mediapipe|graph/i.test(l) && /error|fail/i.test(l)).slice(0, 10);
  const notReady = graphs.filter((g) => !g.ready).map((g) => g.name);
  const items = [`config ${server.configPath}: ${graphs.length} graphs (${server.graphs.map((g) => `${g.name} via ${g.style}`).join(', ')})`, ...graphs.map((g) => `${g.where}: ${g.line}`), ...loadErrors.map((l) => `log: ${l}`)];
  const evidence: Evidence = { items, observed: { notReady }, expected: { notReady: [] } };
  return notReady.length === 0 ? pass(`all ${graphs.length} graphs are ready`, evidence) : violated(`not ready: ${notReady.join(', ')}`, evidence);
}

export default defineCheck({
  id: 'mediapipe.graphs-ready',
  title: 'every configured graph reports ready',
  clause: 'S4',
  requirement: 'required',
  profile: 'quick',
  remediation: 'fix the graph definition named in the evidence',
  impact: 'none',
  needs: [],
  live: true,
  async observe(ctx) {
    if (!ctx.run.options.mediapipeConfig) return stopSkip('no MediaPipe configuration given (--mediapipe-config FILE)');
    const h = await graphServer(ctx);
    if (!h) return stopSkip('the graph server was not started');
    const graphs: GraphReadiness[] = [];
    if (h.server.started) {
      for (const g of h.graphs) {
        const parts: string[] = [];
        let ok = true;
        if (h.clients.rest) {
          const a = await h.clients.rest.modelReady(g.name);
          parts.push(`REST ready -> ${a.status}${a.status !== 200 ? ` "${errorText(a)}"` : ''}`);
          ok &&= a.status === 200;
        }
        if (h.clients.grpc) {
          let v = 'no answer';
          try { v = String((await rpc.modelReady(h.clients.grpc, { name: g.name })).ready); } catch (e) { v = `${grpcFailure(e).codeName} ${grpcFailure(e).details}`; }
          parts.push(`gRPC ModelReady -> ${v}`);
          ok &&= v === 'true';
        }
        graphs.push({ name: g.name, where: where(g), line: parts.join('; '), ready: ok });
      }
    }
    return { server: h.server, graphs };
  },
  judge: (o) => judgeGraphsReady(o.server, o.graphs),
});
