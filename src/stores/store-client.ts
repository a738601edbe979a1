// The harness's own access to an object store, with the vendors' SDKs: list the model folder
// (a preflight that names the store and the key when it fails) and upload a local model folder
// into an emulator. The server reads the store with its own client; this one only prepares and checks.
// The SDKs are loaded when a store is used, not with the harness.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { storeWhere, type ModelRepository } from './model-repository.js';

export class StoreError extends Error {}

async function s3Client(repo: ModelRepository, env: Record<string, string>): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const endpoint = env['S3_ENDPOINT'] ? (/^https?:\/\//.test(env['S3_ENDPOINT']) ? env['S3_ENDPOINT'] : `http://${env['S3_ENDPOINT']}`) : repo.endpointInUrl ?? undefined;
  const key = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  return new S3Client({
    region: env['AWS_REGION'] ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(key && secret ? { credentials: { accessKeyId: key, secretAccessKey: secret, ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}) } } : {}),
    // Checksum trailers and chunked uploads are newer than the emulators and OVMS's own client.
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

async function azureContainer(repo: ModelRepository, env: Record<string, string>) {
  const conn = env['AZURE_STORAGE_CONNECTION_STRING'];
  if (!conn) throw new StoreError(`${storeWhere(repo, env)}: AZURE_STORAGE_CONNECTION_STRING is not set; export the connection string OVMS should use`);
  const { BlobServiceClient } = await import('@azure/storage-blob');
  return BlobServiceClient.fromConnectionString(conn, { retryOptions: { maxTries: 1 } }).getContainerClient(repo.bucket);
}

/** One line for a failed store request: what was asked, where, and what the store said. */
function failure(repo: ModelRepository, env: Record<string, string>, e: unknown): StoreError {
  const err = e as { name?: string; code?: string; statusCode?: number; $metadata?: { httpStatusCode?: number }; message?: string; cause?: { code?: string } };
  const status = err.$metadata?.httpStatusCode ?? err.statusCode;
  const code = err.code ?? err.name ?? '';
  const netCode = err.cause?.code ?? (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.exec(err.message ?? '')?.[0]);
  const key = `key '${repo.prefix || '(bucket root)'}'`;
  const credVars = repo.kind === 's3' ? 'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY' : 'the AccountKey of AZURE_STORAGE_CONNECTION_STRING';
  let why: string;
  if (netCode) why = `the store could not be reached (${netCode}); check the endpoint and that this machine and the server container can reach it`;
  else if (status === 403 || /InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|AuthorizationFailure|AuthenticationFailed/.test(code)) why = `the credentials from ${credVars} were refused (${code || `HTTP ${status}`}); export credentials that may read the model folder`;
  else if (status === 404 || /NoSuchBucket|ContainerNotFound/.test(code)) why = `the ${repo.kind === 's3' ? 'bucket' : 'container'} '${repo.bucket}' does not exist (${code || 'HTTP 404'}); create it and upload the model, or fix the path`;
  else why = `the store answered ${code || `HTTP ${status ?? '?'}`}: ${(err.message ?? '').split('\n')[0]}`;
  return new StoreError(`${storeWhere(repo, env)}, ${key}: ${why}`);
}

/** The object keys under the model folder; a store that refuses or lacks them is a StoreError. */
export async function listModelFolder(repo: ModelRepository, env: Record<string, string>): Promise<string[]> {
  try {
    if (repo.kind === 's3') {
      const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
      const client = await s3Client(repo, env);
      try {
        const keys: string[] = [];
        let token: string | undefined;
        do {
          const r = await client.send(new ListObjectsV2Command({ Bucket: repo.bucket, Prefix: repo.prefix, ContinuationToken: token }));
          keys.push(...(r.Contents ?? []).map((o) => o.Key!).filter(Boolean));
          token = r.IsTruncated ? r.NextContinuationToken : undefined;
        } while (token);
        return keys;
      } finally {
        client.destroy();
      }
    }
    const container = await azureContainer(repo, env);
    const keys: string[] = [];
    for await (const b of container.listBlobsFlat({ prefix: repo.prefix })) keys.push(b.name);
    return keys;
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw failure(repo, env, e);
  }
}

/** Checks the model folder holds a numbered version with files, as the server will look for. */
export async function checkModelFolder(repo: ModelRepository, env: Record<string, string>): Promise<string[]> {
  const keys = await listModelFolder(repo, env);
  const versions = keys.filter((k) => /^[1-9]\d*\/./.test(k.slice(repo.prefix.length)));
  if (versions.length === 0) {
    throw new StoreError(`${storeWhere(repo, env)}, key '${repo.prefix || '(bucket root)'}': no numbered version folder (e.g. ${repo.prefix}1/model.xml) under it (${keys.length} objects); upload the model's version folders there`);
  }
  return keys;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Uploads every file of a local model folder under the repository's prefix (bucket created if missing). */
export async function uploadModelFolder(repo: ModelRepository, env: Record<string, string>, localDir: string): Promise<string[]> {
  const files = filesUnder(localDir);
  const keys = files.map((f) => `${repo.prefix}${relative(localDir, f).split(sep).join('/')}`);
  try {
    if (repo.kind === 's3') {
      const { CreateBucketCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
      const client = await s3Client(repo, env);
      try {
        await client.send(new CreateBucketCommand({ Bucket: repo.bucket })).catch((e: { name?: string }) => {
          if (e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
        });
        for (const [i, f] of files.entries()) await client.send(new PutObjectCommand({ Bucket: repo.bucket, Key: keys[i], Body: readFileSync(f) }));
      } finally {
        client.destroy();
      }
    } else {
      const container = await azureContainer(repo, env);
      await container.createIfNotExists();
      for (const [i, f] of files.entries()) await container.getBlockBlobClient(keys[i]!).uploadData(readFileSync(f));
    }
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw failure(repo, env, e);
  }
  return keys;
}
