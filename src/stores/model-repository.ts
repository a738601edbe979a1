// A model repository in an object store, as OVMS addresses it (ovms-facts 1c, 2): s3://bucket/path
// (or s3://host:port/bucket/path) read with AWS_* and S3_ENDPOINT, az://container/path read with
// AZURE_STORAGE_CONNECTION_STRING. The credentials travel from the harness's environment to the
// server container's by name; no value is ever written into a report.
import { UsageError } from '../errors.js';

export type StoreKind = 's3' | 'azure';

export interface ModelRepository {
  kind: StoreKind;
  /** The path as the server is given it, ending in the model folder. */
  url: string;
  bucket: string;
  /** Object key prefix of the model folder, ending in '/' (or '' for the bucket's root). */
  prefix: string;
  /** An endpoint named in the URL itself (s3://host:port/...). */
  endpointInUrl: string | null;
}

/** The variables OVMS reads for each store (s3filesystem.cpp, azurefilesystem.cpp). */
export const STORE_ENV: Record<StoreKind, readonly string[]> = {
  s3: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_PROFILE', 'S3_ENDPOINT'],
  azure: ['AZURE_STORAGE_CONNECTION_STRING'],
};

/** Variables whose values are secrets (the rest, e.g. the endpoint or region, may be shown). */
export const SECRET_ENV = new Set(['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_STORAGE_CONNECTION_STRING']);

const prefixOf = (p: string): string => (p === '' || p === '/' ? '' : p.replace(/^\/+/, '').replace(/\/?$/, '/'));

export function parseModelRepository(url: string, where: string): ModelRepository {
  let m = /^s3:\/\/([0-9a-zA-Z-.]+):([0-9]+)\/([0-9a-z.-]+)(\/.*)?$/.exec(url);
  if (m) return { kind: 's3', url, bucket: m[3]!, prefix: prefixOf(m[4] ?? ''), endpointInUrl: `http://${m[1]}:${m[2]}` };
  m = /^s3:\/\/([0-9a-z.-]+)(\/.*)?$/.exec(url);
  if (m) return { kind: 's3', url, bucket: m[1]!, prefix: prefixOf(m[2] ?? ''), endpointInUrl: null };
  m = /^az:\/\/([a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?)(\/.*)?$/.exec(url);
  if (m) return { kind: 'azure', url, bucket: m[1]!, prefix: prefixOf(m[2] ?? ''), endpointInUrl: null };
  if (url.startsWith('gs://')) throw new UsageError(`${where}: '${url}' is in Google Cloud Storage, which the harness cannot set up (its credentials file would have to be mounted); use an s3:// or az:// repository`);
  if (url.startsWith('azfs://') || url.startsWith('azure://')) throw new UsageError(`${where}: '${url}' names Azure Files; OVMS reads models from Azure Blob storage with az://container/path`);
  throw new UsageError(`${where}: '${url}' is not an object-store model path; use s3://bucket/path/to/model or az://container/path/to/model`);
}

/** The store's own variables, as the server container gets them from the harness's environment. */
export function storeEnv(kind: StoreKind, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(STORE_ENV[kind].filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]!]));
}

/** The endpoint an Azure connection string names, without its key. */
export function azureEndpoint(connection: string): { account: string; endpoint: string } {
  const parts = new Map(connection.split(';').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
  const account = parts.get('AccountName') ?? '?';
  const endpoint = parts.get('BlobEndpoint') ?? `${parts.get('DefaultEndpointsProtocol') ?? 'https'}://${account}.blob.${parts.get('EndpointSuffix') ?? 'core.windows.net'}`;
  return { account, endpoint: endpoint.replace(/\/$/, '') };
}

/** Where the store is, for evidence: the endpoint and the bucket, never a credential. */
export function storeWhere(repo: ModelRepository, env: Record<string, string>): string {
  if (repo.kind === 's3') {
    const endpoint = env['S3_ENDPOINT'] ?? repo.endpointInUrl ?? `https://s3.${env['AWS_REGION'] ?? 'us-east-1'}.amazonaws.com`;
    return `S3 at ${endpoint}, bucket '${repo.bucket}'`;
  }
  const c = env['AZURE_STORAGE_CONNECTION_STRING'];
  const where = c ? azureEndpoint(c) : { account: '(anonymous)', endpoint: '(no connection string)' };
  return `Azure Blob at ${where.endpoint} (account ${where.account}), container '${repo.bucket}'`;
}

/** Secret values to keep out of every report: the secret variables and an Azure account key. */
export function storeSecrets(env: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!SECRET_ENV.has(k)) continue;
    out.push(v);
    for (const part of v.split(';')) {
      const m = /^(AccountKey|SharedAccessSignature)=(.+)$/.exec(part);
      if (m) out.push(m[2]!);
    }
  }
  return out.filter((s) => s.length >= 4);
}

