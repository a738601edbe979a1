// dos.recovery: after all floods the container runs, is live and ready, and answers an inference of
// the announced shape.
import type { EndState } from '../../docker/container-stats.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import type { Liveness } from '../../protocol/liveness.js';
import { askReadyAt } from '../../targets/ready-wait.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { inferZeros } from '../../probes/zero-inference.js';
import { liveAfterProbe } from '../../probes/after-probe.js';
import { servedInterface } from '../../probes/served-model.js';

export interface RecoveryObs { after: EndState; alive: Liveness | null; readyAfter: number | null; inference: { ok: boolean; line: string } | null }

export function judgeRecovery(o: RecoveryObs): Judgement {
  const a = o.after;
  const items = [`server ${a.status}, restarts ${a.restartCount}, exit code ${a.exitCode}, OOMKilled ${a.oomKilled}`, ...(o.alive?.items ?? []), ...(o.readyAfter !== null ? [`readiness -> ${o.readyAfter}`] : []), ...(o.inference ? [o.inference.line] : [])];
  const evidence: Evidence = { items, observed: { running: a.running, restarts: a.restartCount, live: o.alive?.live ?? false, ready: o.readyAfter, inference: o.inference?.ok ?? false }, expected: { running: true, live: true, ready: 200, inference: true } };
  if (!a.running) return violated(`the server is gone after the floods (exit code ${a.exitCode}${a.oomKilled ? ', OOM-killed' : ''})`, evidence);
  if (!o.alive?.live || o.readyAfter !== 200 || !o.inference?.ok) return violated('the server has not recovered: not live, not ready or not inferring correctly', evidence);
  return pass('after the floods the server is live, ready and answers a correct inference', evidence);
}

export default defineCheck({
  id: 'dos.recovery',
  title: 'after all floods the server is ready and answers a correct inference',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'investigate the server log for crashes under load',
  impact: 'none',
  needs: ['grpc'], runsAfterCasualty: true,
  async observe(ctx) {
    const { after } = ctx.run.target.container ? { after: await ctx.target.container().endState() } : { after: { running: true, restartCount: 0, exitCode: null, oomKilled: false, status: 'no container access' } };
    if (!after.running) return { after, alive: null, readyAfter: null, inference: null };
    const alive = await liveAfterProbe(ctx.target);
    const seen = await askReadyAt(ctx.run.target.endpoints, 5000);
    const { input, output } = await servedInterface(ctx.target, ctx.run.options.modelName);
    const r = await inferZeros(ctx.target.grpc(), ctx.run.options.modelName, input, output);
    const announced = output ? ` (announced [${output.shape.join(',')}]${output.shape.some((d) => d < 0) ? ': -1 is any size' : ''})` : '';
    const inference = { ok: r.ok, line: r.failure ? `ModelInfer (zeros) -> ${r.failure}` : `ModelInfer (zeros) -> OK, output ${r.output ?? 'none'} [${r.shape.join(',')}]${announced}, shape ${r.shapeOk ? 'matches' : 'DIFFERS'}, ${r.values} values, all finite: ${r.ok}` };
    return { after, alive, readyAfter: seen.ready ? 200 : Number(/\d{3}/.exec(seen.detail)?.[0] ?? 0), inference };
  },
  judge: judgeRecovery,
});
