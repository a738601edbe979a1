// hardening.image-user: the image's configured USER, resolved through the image's own /etc/passwd as
// the runtime resolves it, is not UID 0.
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import type { ResolvedUser } from '../../docker/user-spec.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { imageUser } from './common.js';

export interface ImageUserObs { image: string; imageId: string; user: string; passwd: 'read' | 'absent'; resolved: ResolvedUser }

export function judgeImageUser(o: ImageUserObs): Judgement {
  const items = [
    `image ${o.image} (${o.imageId.replace(/^sha256:/, '').slice(0, 12)}) Config.User = ${JSON.stringify(o.user)}`,
    `image /etc/passwd: ${o.passwd === 'read' ? 'read from the image' : 'absent'}`,
    o.resolved.ok ? `resolved as the runtime does: ${o.resolved.how} -> UID ${o.resolved.uid}, GID ${o.resolved.gid}` : `cannot be resolved: ${o.resolved.error}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { user: o.user, uid: o.resolved.ok ? o.resolved.uid : null, gid: o.resolved.ok ? o.resolved.gid : null, name: o.resolved.ok ? o.resolved.name : null },
    expected: { uid: 'not 0 (OVMS: ovms, UID 5000)' },
  };
  if (!o.resolved.ok) return violated(`the image's user ${JSON.stringify(o.user)} does not resolve: ${o.resolved.error}`, evidence);
  if (o.resolved.uid === 0) return violated(`the image's user ${o.user === '' ? '(unset)' : JSON.stringify(o.user)} is UID 0: root`, evidence);
  return pass(`the image's user ${JSON.stringify(o.user)} is UID ${o.resolved.uid}${o.resolved.name ? ` (${o.resolved.name})` : ''}`, evidence);
}

export default defineCheck({
  id: 'hardening.image-user',
  title: "the image's configured user is not root",
  clause: 'S1',
  requirement: 'required',
  profile: 'quick',
  remediation: 'build the image with a non-root USER (OVMS: USER ovms, UID 5000)',
  impact: 'the image is rebuilt; files written at build time must be readable by that user',
  needs: ['container'], live: false,
  async observe(ctx) {
    const c = ctx.target.container();
    const user = (await c.image()).Config.User ?? '';
    const { passwd, resolved } = await imageUser(ctx, user);
    return { image: c.ref.image, imageId: c.ref.imageId, user, passwd: passwd === null ? 'absent' as const : 'read' as const, resolved };
  },
  judge: judgeImageUser,
});
