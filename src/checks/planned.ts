// Checks the catalog lists (shared/CHECKS.md) that are not built yet: data only, so that ids stay
// reserved, --only accepts them, and the report can say they were not run.
import type { CatalogEntry } from '../check-kit/entry.js';

export const PLANNED: readonly CatalogEntry[] = [
  {
    id: 'dos.memory-headroom', title: "the container's memory limit leaves room for the gRPC quota, the largest accepted message and the model", clause: 'S3', requirement: 'recommended', profile: 'quick',
    remediation: 'set the memory limit above grpc_memory_quota + 1 GiB + the model size, or lower --grpc_memory_quota',
    impact: 'the container reserves more memory',
  },
];
