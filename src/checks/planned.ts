// Checks the catalog lists (shared/CHECKS.md) that are not built yet: data only, so that ids stay
// reserved, --only accepts them, and the report can say they were not run.
import type { CatalogEntry } from '../check-kit/entry.js';

export const PLANNED: readonly CatalogEntry[] = [
  {
    id: 'hardening.api-key-secrecy', title: 'the generative API key is not exposed by the deployment', clause: 'E2', requirement: 'recommended', profile: 'quick',
    remediation: 'give the key with --api_key_file on a read-only secret mount, not API_KEY, and never run with --log_level TRACE',
    impact: 'the key file must be mounted and rotated as a secret',
  },
  {
    id: 'exposure.api-key', title: 'generative endpoints under /v3 and /v1 require the API key', clause: 'E2', requirement: 'required', profile: 'quick',
    remediation: 'start the server with --api_key_file /run/secrets/ovms-key (a read-only secret mount)',
    impact: 'every client of the generative endpoints sends Authorization: Bearer <key>',
  },
  {
    id: 'exposure.media-urls', title: 'image URLs in generative requests are fetched only from intended hosts', clause: 'E3', requirement: 'required', profile: 'quick',
    remediation: 'list only the hosts that serve images in --allowed_media_domains; leave OVMS_MEDIA_URL_ALLOW_REDIRECTS unset',
    impact: 'images from other hosts must be sent inline (base64)',
  },
  {
    id: 'exposure.admin-endpoints', title: 'configuration reload and status, the model list and /metrics are not open to anonymous clients', clause: 'S2', requirement: 'recommended', profile: 'quick',
    remediation: 'block /v1/config, /v1/config/reload, /v3/models and /metrics in the proxy, or require authentication for them',
    impact: 'monitoring must scrape /metrics with credentials or from inside the network',
  },
  {
    id: 'dos.memory-headroom', title: "the container's memory limit leaves room for the gRPC quota, the largest accepted message and the model", clause: 'S3', requirement: 'recommended', profile: 'quick',
    remediation: 'set the memory limit above grpc_memory_quota + 1 GiB + the model size, or lower --grpc_memory_quota',
    impact: 'the container reserves more memory',
  },
];
