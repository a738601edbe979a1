// hardening.models-read-only: the model repository is a read-only mount (a write attempt proves it).
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { type InspectMount, type MountInfo, describeSource, mountFor } from '../../docker/mounts.js';
import { NO_WRITES, asWord, describeWrite, inspectMounts, modelPath, survey, writesOf } from './common.js';
import type { WriteResult } from '../../docker/probe-agent.js';
import { defineCheck } from '../../check-kit/define-check.js';

export interface ModelsReadOnlyObs { modelPath: string; mounts: MountInfo[]; inspectMounts: InspectMount[]; write: WriteResult | null; writesAs: string; writesSkipped: string | null }

export function judgeModelsReadOnly(o: ModelsReadOnlyObs): Judgement {
  const m = mountFor(o.mounts, o.modelPath);
  const items = [
    `model path ${o.modelPath}: on ${m ? `${m.mountPoint} (${describeSource(m, o.inspectMounts)}, ${m.readOnly ? 'ro' : 'rw'})` : 'no mount'}`,
    o.write ? describeWrite(o.write, o.writesAs) : `no write attempt: ${o.writesSkipped}`,
  ];
  const evidence: Evidence = { items, observed: { mountPoint: m?.mountPoint ?? null, readOnly: m?.readOnly ?? null, write: o.write?.outcome ?? null }, expected: { readOnly: true, write: 'EROFS' } };
  if (!m || m.mountPoint === '/') return violated(`the model path ${o.modelPath} is not a mount of its own (it lies on the root filesystem)`, evidence);
  if (!m.readOnly) return violated(`the model repository ${m.mountPoint} is mounted read-write`, evidence);
  if (o.write && o.write.outcome !== 'EROFS') return violated(`the model repository is mounted ro, but a write ended ${o.write.outcome}`, evidence);
  return pass(`the model repository ${m.mountPoint} is mounted read-only${o.write ? '; a write failed with EROFS' : ''}`, evidence);
}

export default defineCheck({
  id: 'hardening.models-read-only',
  title: 'the model repository is mounted read-only',
  clause: 'S1',
  requirement: 'recommended',
  profile: 'quick',
  remediation: 'mount the model folder with :ro, e.g. -v /srv/models:/models:ro',
  impact: 'none for serving; models are updated on the host, never by the server',
  needs: ['container'],
  async observe(ctx) {
    const [s, info] = await Promise.all([survey(ctx), ctx.target.container().inspect()]);
    const path = modelPath(ctx);
    return { modelPath: path, mounts: s.mounts, inspectMounts: inspectMounts(info), write: writesOf(s, [path])[0] ?? null, writesAs: asWord(s), writesSkipped: s.reply.writesAs ? null : NO_WRITES };
  },
  judge: judgeModelsReadOnly,
});
