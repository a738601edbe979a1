// The harness's probe image: Node and the bundled probe agent, nothing else. It runs as root in a
// helper container joined to a target's PID namespace (see probe-agent.ts), so the target image
// needs no tools of its own.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { DockerEndpoint } from './client.js';
import { ensureImage, type BuiltImage, type ImageRecipe } from './image-builder.js';

export const PROBE_REPO = 'ovms-validate-probe';
export const PROBE_LABEL = 'io.ovms-validate.probe';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function bundleAgent(): Promise<string> {
  const result = await build({
    entryPoints: ['src/docker/probe-agent.ts'], absWorkingDir: ROOT,
    bundle: true, platform: 'node', format: 'esm', target: 'node22', write: false, legalComments: 'none', logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export function probeRecipe(agent: string): ImageRecipe {
  return {
    repo: PROBE_REPO, label: PROBE_LABEL, version: '1', inputs: [agent], withBusybox: false, keep: 2,
    fill(_p, { dir, file }) {
      dir('tmp', 0o1777);
      file('etc/passwd', 'root:x:0:0:root:/root:/nonexistent\n');
      file('agent.mjs', agent);
    },
    changes: ['USER 0:0', 'WORKDIR /', 'ENTRYPOINT ["/usr/local/bin/node", "/agent.mjs"]'],
  };
}

export async function ensureProbeImage(ep: DockerEndpoint, progress?: (line: string) => void): Promise<BuiltImage> {
  return ensureImage(ep, probeRecipe(await bundleAgent()), progress);
}
