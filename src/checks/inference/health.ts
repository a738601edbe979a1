// inference.health: live and ready over REST and gRPC, whichever the deployment has.
import { type Evidence, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { type PerProtocol, perProtocol, present } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { grpcFailure, rpc } from '../../protocol/grpc-client.js';

export interface HealthAnswers { lines: string[]; ok: boolean }

export function judgeHealth(o: PerProtocol<HealthAnswers>): Judgement {
  const asked = (['REST', 'gRPC'] as const).filter((p) => present(o[p]));
  const items = (['REST', 'gRPC'] as const).flatMap((p) => { const x = o[p]; return present(x) ? x.lines : [`${p}: ${x.absent}`]; });
  const evidence: Evidence = { items, observed: Object.fromEntries(asked.map((p) => [p, (o[p] as HealthAnswers).ok])), expected: Object.fromEntries(asked.map((p) => [p, true])) };
  if (asked.length === 0) return skip('the deployment has neither a REST nor a gRPC endpoint');
  const bad = asked.filter((p) => !(o[p] as HealthAnswers).ok);
  return bad.length === 0 ? pass(`live and ready over ${asked.join(' and ')}`, evidence) : violated(`not live and ready over ${bad.join(' and ')}`, evidence);
}

export default defineCheck({
  id: 'inference.health',
  title: 'server live and ready over REST and gRPC',
  clause: '-',
  requirement: 'required',
  profile: 'quick',
  remediation: 'check the server log',
  impact: 'none',
  needs: [],
  live: true,
  async observe(ctx) {
    return perProtocol<HealthAnswers>(ctx, async () => {
      const live = await ctx.target.rest().live();
      const ready = await ctx.target.rest().ready();
      return { lines: [`REST GET /v2/health/live -> ${live.status}`, `REST GET /v2/health/ready -> ${ready.status}`], ok: live.status === 200 && ready.status === 200 };
    }, async () => {
      const lines: string[] = [];
      let ok = true;
      for (const [name, call] of [['ServerLive', async () => (await rpc.serverLive(ctx.target.grpc())).live], ['ServerReady', async () => (await rpc.serverReady(ctx.target.grpc())).ready]] as const) {
        try {
          const value = await call();
          lines.push(`gRPC ${name} -> OK ${name === 'ServerLive' ? 'live' : 'ready'}=${value}`);
          ok &&= value === true;
        } catch (e) {
          const f = grpcFailure(e);
          lines.push(`gRPC ${name} -> ${f.codeName} ${f.details}`);
          ok = false;
        }
      }
      return { lines, ok };
    });
  },
  judge: judgeHealth,
});
