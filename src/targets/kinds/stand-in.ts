// --target stand-in: the container target with the project's own stand-in image, built locally,
// serving the fixture models; its faults and limits are switched by stand-in-only variables.
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../../version.js';
import { inspectImage } from '../../docker/client.js';
import { ensureStandInImage } from '../stand-in-image.js';
import { modelsHostDir, startDeployment, type PreparedImage } from './container.js';
import type { TargetKindImpl } from './kind.js';

/** The name of the stand-in's generative servable. */
export const STAND_IN_GENERATIVE = 'vlm';

export const standInKind: TargetKindImpl<PreparedImage> = {
  needsDocker: true,
  async prepare(ctx) {
    const o = ctx.options;
    const ep = ctx.docker!;
    const built = await ensureStandInImage(ep, { rootUser: o.standInFaults.includes('image-root-user'), tmpNotWritable: o.standInFaults.includes('tmp-not-writable') }, ctx.progress);
    const info = await inspectImage(ep, built.tag);
    // Stand-in-only switches travel as environment variables; OVMS ignores them.
    const env = [
      ...(o.standInFaults.length > 0 ? [`OVMS_STAND_IN_FAULTS=${o.standInFaults.join(',')}`] : []),
      ...(o.standInMessageLimit !== null ? [`OVMS_STAND_IN_MAX_MESSAGE_BYTES=${o.standInMessageLimit}`] : []),
      `OVMS_STAND_IN_INFER_MS=${o.standInInferMs}`,
      // A small generative servable that takes images, for the checks of the /v3 endpoints.
      `OVMS_STAND_IN_GENERATIVE=${STAND_IN_GENERATIVE}`,
      ...(o.standInVersion ? [`OVMS_STAND_IN_VERSION=${o.standInVersion}`] : []),
    ];
    const serverArgs = o.standInFaults.includes('channel-args-nonnumeric') ? ['--grpc_channel_arguments', 'grpc.max_concurrent_streams=abc'] : [];
    return {
      image: built.tag, imageId: built.id, repoDigests: info?.RepoDigests ?? [], labels: info?.Config.Labels ?? {}, env, standIn: true,
      modelsHostDir: await modelsHostDir(ctx, fileURLToPath(new URL('fixtures/models', PROJECT_ROOT))),
      extraServerArgs: serverArgs,
    };
  },
  start: (ctx, p) => startDeployment(ctx, p, 'stand-in'),
};
