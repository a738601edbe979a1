// The Docker engine a run uses: the one DOCKER_HOST names (asked for its version), cleared of
// containers left by runs whose process is gone, testcontainers pointed at it (its reaper only
// when its image is here), and the harness's probe image ready.
import { engineInfo, inspectImage, removeManagedContainers, type DockerEndpoint, type EngineInfo } from '../docker/client.js';
import { ensureProbeImage } from '../docker/probe-image.js';
import { configureTestcontainers } from '../targets/server-container.js';

/** testcontainers' reaper (Ryuk) runs only when its image is present locally. */
async function reaperAvailable(ep: DockerEndpoint): Promise<boolean> {
  const ryuk = process.env['RYUK_CONTAINER_IMAGE'] ?? 'testcontainers/ryuk:0.14.0';
  return process.env['TESTCONTAINERS_RYUK_DISABLED'] !== 'true' && (await inspectImage(ep, ryuk)) !== null;
}

export async function prepareEngine(ep: DockerEndpoint, progress: (line: string) => void): Promise<{ engine: EngineInfo; reaper: boolean; probeImage: string }> {
  const engine = await engineInfo(ep);
  progress(`docker engine ${engine.serverVersion} at ${engine.endpoint.host} (${engine.endpoint.source})`);
  const leftovers = await removeManagedContainers(engine.endpoint);
  if (leftovers.length > 0) progress(`removed ${leftovers.length} container(s) left over by earlier runs: ${leftovers.join(', ')}`);
  const reaper = await reaperAvailable(engine.endpoint);
  configureTestcontainers(engine.endpoint, reaper);
  return { engine, reaper, probeImage: (await ensureProbeImage(engine.endpoint, progress)).tag };
}
