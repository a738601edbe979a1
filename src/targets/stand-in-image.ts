// The stand-in's image: the bundled stand-in server on Node, a static busybox for the tools an
// OVMS image has (bash and coreutils there), user ovms (UID 5000) and /tmp at 1777 like the
// Ubuntu base of OVMS. Image-level faults change the recipe (and so the tag).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { DockerEndpoint } from '../docker/client.js';
import { STAND_IN_LABEL } from '../ovms/identity.js';
import { ensureImage, type BuiltImage, type ImageRecipe } from '../docker/image-builder.js';

export const STAND_IN_REPO = 'ovms-validate-stand-in';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APPLETS = ['sh', 'id', 'touch', 'cat', 'ls', 'mkdir', 'rm', 'echo', 'stat', 'grep', 'head', 'sleep', 'env', 'df', 'mount', 'ps'];

/** Faults that change the image itself; the others are switched at run time. */
export interface ImageFaults { rootUser: boolean; tmpNotWritable: boolean }

/** The stand-in as one ES module; paths in it are relative to the project root, so the text is the same in every clone. */
export async function bundleStandIn(): Promise<string> {
  const result = await build({
    entryPoints: ['fixtures/stand-in/src/main.ts'], absWorkingDir: ROOT,
    bundle: true, platform: 'node', format: 'esm', target: 'node22', write: false,
    loader: { '.proto': 'text' }, legalComments: 'none', logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return result.outputFiles[0]!.text;
}

/** `shell: false` leaves busybox out: a distroless derivative, as tests of the probes need. */
export function standInRecipe(server: string, faults: ImageFaults, shell = true): ImageRecipe {
  return {
    repo: shell ? STAND_IN_REPO : `${STAND_IN_REPO}-distroless`, label: STAND_IN_LABEL, version: '2', inputs: [server, JSON.stringify(faults)], withBusybox: shell, keep: 4,
    fill(p, { dir, file }) {
      for (const d of ['ovms', 'ovms/bin', 'ovms/lib', 'ovms/lib/stand-in', 'home', 'models', 'root']) dir(d);
      // /tmp's mode is inherited by a --tmpfs /tmp mount (facts/environment.md): 1777 like Ubuntu, 0755 for the fault.
      dir('tmp', faults.tmpNotWritable ? 0o755 : 0o1777);
      dir('home/ovms', 0o755, 5000, 5000);
      file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\novms:x:5000:5000:ovms:/home/ovms:/bin/sh\n');
      file('etc/group', 'root:x:0:\novms:x:5000:\n');
      if (shell) for (const a of APPLETS) p.entry({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777 });
      file('ovms/lib/stand-in/server.mjs', server);
      file('ovms/metadata.json', JSON.stringify({ PROJECT_VERSION: 'stand-in', NOTE: 'ovms-validate stand-in, not OpenVINO Model Server' }));
    },
    changes: [
      `USER ${faults.rootUser ? 'root' : 'ovms'}`,
      'WORKDIR /',
      'ENV PATH=/usr/local/bin:/bin:/ovms/bin',
      'ENTRYPOINT ["/usr/local/bin/node", "/ovms/lib/stand-in/server.mjs"]',
    ],
  };
}

export async function ensureStandInImage(ep: DockerEndpoint, faults: ImageFaults, progress?: (line: string) => void, shell = true): Promise<BuiltImage> {
  return ensureImage(ep, standInRecipe(await bundleStandIn(), faults, shell), progress);
}
