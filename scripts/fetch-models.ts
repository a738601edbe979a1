// npm run fetch-models [-- --offline] [-- --models-dir DIR] [-- --manifest FILE]
// Downloads (or, with --offline, only verifies) the files of models/manifest.json.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { EXIT, EnvironmentError } from '../src/errors.ts';
import { fetchModels } from '../src/models/download.ts';
import { readManifest } from '../src/models/manifest.ts';

const HELP = `Usage: npm run fetch-models -- [--offline] [--models-dir DIR] [--manifest FILE]

Downloads resnet50-binary-0001 (FP32-INT1) and the OVMS demo image zebra.jpeg into models/,
verifying each file's size and checksum. Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
Verified files are reused; --offline uses only those and fails if one is missing.
Exit codes: 0 done; 2 bad usage; 3 a file could not be had (the message names it and the fix).
`;

async function main(): Promise<number> {
  let values: { offline?: boolean; 'models-dir'?: string; manifest?: string; help?: boolean };
  try {
    values = parseArgs({ options: { offline: { type: 'boolean' }, 'models-dir': { type: 'string' }, manifest: { type: 'string' }, help: { type: 'boolean' } } }).values;
  } catch (e) {
    process.stderr.write(`fetch-models: ${(e as Error).message.split('\n')[0]}; see --help\n`);
    return EXIT.USAGE;
  }
  if (values.help) { process.stdout.write(HELP); return EXIT.OK; }
  const dir = resolve(values['models-dir'] ?? 'models');
  try {
    const manifest = readManifest(resolve(values.manifest ?? 'models/manifest.json'));
    const results = await fetchModels(manifest, { dir, offline: values.offline ?? false, progress: (l) => process.stderr.write(`[fetch-models] ${l}\n`) });
    for (const r of results) process.stdout.write(`${r.status.padEnd(10)} ${r.path} (${r.bytes} bytes, ${r.checksum.slice(0, 23)}...)\n`);
    return EXIT.OK;
  } catch (e) {
    if (e instanceof EnvironmentError) {
      process.stderr.write(`fetch-models: ${e.message}\n`);
      return EXIT.ENVIRONMENT;
    }
    throw e;
  }
}

process.exitCode = await main();
