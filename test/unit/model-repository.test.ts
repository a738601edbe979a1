import { describe, expect, it } from 'vitest';
import { cloudSpec } from '../../src/probes/cloud-start.js';
import { emptyHost, envShown, type ContainerSpec } from '../../src/docker/container-spec.js';
import { parseModelRepository, storeEnv, storeSecrets, storeWhere } from '../../src/stores/model-repository.js';

describe('model repositories', () => {
  it('reads the paths OVMS reads', () => {
    expect(parseModelRepository('s3://models/resnet', 'x')).toEqual({ kind: 's3', url: 's3://models/resnet', bucket: 'models', prefix: 'resnet/', endpointInUrl: null });
    expect(parseModelRepository('s3://minio.local:9000/models/a/resnet/', 'x')).toMatchObject({ bucket: 'models', prefix: 'a/resnet/', endpointInUrl: 'http://minio.local:9000' });
    expect(parseModelRepository('az://container/resnet', 'x')).toMatchObject({ kind: 'azure', bucket: 'container', prefix: 'resnet/' });
    expect(() => parseModelRepository('gs://b/resnet', '--model-repository')).toThrow(/^--model-repository: 'gs:\/\/b\/resnet' is in Google Cloud Storage/);
    expect(() => parseModelRepository('azfs://share/resnet', 'x')).toThrow(/Azure Files/);
    expect(() => parseModelRepository('/models/resnet', 'x')).toThrow(/not an object-store model path/);
  });

  it('passes the store\'s variables by name and never shows a secret', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'very-secret-value', S3_ENDPOINT: 'http://10.0.0.5:9000', HOME: '/root', AZURE_STORAGE_CONNECTION_STRING: 'AccountName=a;AccountKey=c2VjcmV0a2V5' };
    expect(storeEnv('s3', env)).toEqual({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'very-secret-value', S3_ENDPOINT: 'http://10.0.0.5:9000' });
    expect(storeSecrets(storeEnv('azure', env))).toEqual(['AccountName=a;AccountKey=c2VjcmV0a2V5', 'c2VjcmV0a2V5']);
    expect(['AWS_SECRET_ACCESS_KEY=very-secret-value', 'AWS_ACCESS_KEY_ID=AKIAEXAMPLE', 'OVMS_STAND_IN_FAULTS=oversize-crash'].map(envShown)).toEqual(['AWS_SECRET_ACCESS_KEY=[redacted]', 'AWS_ACCESS_KEY_ID=[redacted]', 'OVMS_STAND_IN_FAULTS=oversize-crash']);
    expect(storeWhere(parseModelRepository('az://c/resnet', 'x'), storeEnv('azure', { AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0' }))).toBe("Azure Blob at https://acct.blob.core.windows.net (account acct), container 'c'");
  });

  it('a copy serving from the store is read-only, keeps the deployment\'s other flags, and has /tmp as asked', () => {
    const base: ContainerSpec = { image: 'i', entrypoint: null, user: '5000:5000', env: ['A=1', 'S3_ENDPOINT=old'], published: null, ports: [9178], host: { ...emptyHost(), Tmpfs: { '/tmp': 'rw' } }, cmd: ['--model_path', '/models/resnet/', '--model_name', 'resnet', '--port', '9178', '--config_path=/x'] };
    const repo = parseModelRepository('s3://b/resnet', 'x');
    const withTmp = cloudSpec(base, repo, 'resnet', { S3_ENDPOINT: 'http://e' }, true);
    expect(withTmp.cmd).toEqual(['--model_path', 's3://b/resnet', '--model_name', 'resnet', '--port', '9178']);
    expect(withTmp.env).toEqual(['A=1', 'S3_ENDPOINT=http://e']);
    expect(withTmp.host).toMatchObject({ ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw' } });
    expect(cloudSpec(base, repo, 'resnet', {}, false).host.Tmpfs).toEqual({});
    expect(base.host.Tmpfs).toEqual({ '/tmp': 'rw' });
  });
});
