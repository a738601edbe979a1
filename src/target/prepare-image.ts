// Makes sure the image to test is present: pulled for `container`, built for `stand-in`.
// An absent image that cannot be had ends the run (exit 3) and names the offline alternative.
import { EnvironmentError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { dockerode, inspectImage } from './docker.js';
import { ensureStandInImage } from './stand-in-image.js';

export interface PreparedImage { image: string; imageId: string; user: string }

const PULL_TIMEOUT_MS = 600_000;

async function pull(image: string, progress: (line: string) => void): Promise<void> {
  const docker = await dockerode();
  progress(`pulling ${image} (up to ${PULL_TIMEOUT_MS / 1000} s)`);
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no pull progress within ${PULL_TIMEOUT_MS / 1000} s`)), PULL_TIMEOUT_MS);
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      clearTimeout(timer);
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(new Error(err?.message ?? failed?.error));
      else resolve();
    });
  });
}

export async function prepareImage(opts: ResolvedOptions, progress: (line: string) => void): Promise<PreparedImage> {
  if (opts.target === 'stand-in') {
    const built = await ensureStandInImage({
      rootUser: opts.standInFaults.includes('image-root-user'),
      tmpNotWritable: opts.standInFaults.includes('tmp-not-writable'),
    }, progress);
    const info = await inspectImage(built.tag);
    return { image: built.tag, imageId: built.id, user: info?.Config.User ?? '' };
  }
  const image = opts.image!;
  let info = await inspectImage(image);
  if (!info) {
    try {
      await pull(image, progress);
    } catch (e) {
      throw new EnvironmentError(`image ${image} is not present and cannot be pulled (${(e as Error).message.split('\n')[0]}); docker load it, or use --target stand-in for an offline run against the project's stand-in`);
    }
    info = await inspectImage(image);
    if (!info) throw new EnvironmentError(`image ${image} is still absent after the pull; docker load it, or use --target stand-in`);
  }
  return { image, imageId: info.Id, user: info.Config.User ?? '' };
}

/** testcontainers' reaper (Ryuk) is disabled only when its image is not present locally. */
export async function configureReaper(progress: (line: string) => void): Promise<void> {
  if (process.env['TESTCONTAINERS_RYUK_DISABLED'] !== undefined) return;
  const ryuk = process.env['RYUK_CONTAINER_IMAGE'] ?? 'testcontainers/ryuk:0.14.0';
  if (!(await inspectImage(ryuk))) {
    process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
    progress(`reaper image ${ryuk} is absent: Ryuk disabled; containers are removed by label instead`);
  }
}
