// Object-store emulators from the npm registry, for runs without a store of their own: s3rver
// (S3) and Azurite (Azure Blob), in this process, listening only on the Docker bridge's address
// on this machine, so the server container reaches them and nothing outside the host does. Each
// records the requests it answered, so the evidence names the objects the server read. The
// emulators are loaded when a check starts one, not with the harness.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ModelRepository, StoreKind } from './model-repository.js';

/** Azurite's documented development account (a published constant, not a secret). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
/** s3rver's built-in account. */
const S3RVER_KEY = 'S3RVER';

export interface RequestRecord { method: string; path: string; status: number }

export interface Emulator {
  kind: StoreKind;
  name: string;
  /** How the server container reaches it. */
  endpoint: string;
  /** The variables OVMS reads, as the emulator needs them (its development credentials). */
  env: Record<string, string>;
  repository: (bucket: string, prefix: string) => ModelRepository;
  requests: RequestRecord[];
  stop: () => Promise<void>;
}

function record(server: Server, into: RequestRecord[]): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.once('finish', () => into.push({ method: req.method ?? '?', path: decodeURIComponent((req.url ?? '').split('?')[0]!), status: res.statusCode }));
  });
}

export async function startS3Emulator(address: string, stateDir: string): Promise<Emulator> {
  const directory = mkdtempSync(join(stateDir, 's3rver-'));
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({ address, port: 0, silent: true, directory });
  const { port } = await server.run();
  const requests: RequestRecord[] = [];
  record(server.httpServer, requests);
  const endpoint = `http://${address}:${port}`;
  return {
    kind: 's3', name: 's3rver 3.7.1 (S3 emulator)', endpoint, requests,
    env: { S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: S3RVER_KEY, AWS_SECRET_ACCESS_KEY: S3RVER_KEY, AWS_REGION: 'us-east-1' },
    repository: (bucket, prefix) => ({ kind: 's3', url: `s3://${bucket}/${prefix}`, bucket, prefix, endpointInUrl: null }),
    stop: async () => { await server.close(); rmSync(directory, { recursive: true, force: true }); },
  };
}

/**
 * Azurite's modules are CommonJS with a `default` export: Node's import gives module.exports (the
 * class is its `default`), vitest's interop gives the class itself.
 */
function classOf<T>(mod: { default: T }): T {
  return (mod.default ?? mod) as T;
}

export async function startAzureEmulator(address: string): Promise<Emulator> {
  const [configModule, serverModule] = await Promise.all([import('azurite/dist/src/blob/BlobConfiguration.js'), import('azurite/dist/src/blob/BlobServer.js')]);
  const Config = classOf(configModule.default);
  // The API version check is skipped: the SDK of the harness's own uploads may be newer than the emulator.
  const config = new Config(address, 0, 5000, '', '', [], false, undefined, false, undefined, false, true, '', '', '', undefined, false, true);
  const server = new (classOf(serverModule.default))(config);
  await server.start();
  const requests: RequestRecord[] = [];
  record(server.httpServer, requests);
  const port = Number(new URL(server.getHttpServerAddress()).port);
  const endpoint = `http://${address}:${port}/${AZURITE_ACCOUNT}`;
  return {
    kind: 'azure', name: 'Azurite 3.37.0 (Azure Blob emulator)', endpoint, requests,
    env: { AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};` },
    repository: (bucket, prefix) => ({ kind: 'azure', url: `az://${bucket}/${prefix}`, bucket, prefix, endpointInUrl: null }),
    stop: async () => { await server.close(); await server.clean().catch(() => undefined); },
  };
}
