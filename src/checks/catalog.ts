// The check catalog (shared/CHECKS.md). Ids are a contract: add new ones, never rename or reuse.
// `implemented` marks the checks a suite carries today; the rest are planned.
export type Area = 'hardening' | 'page' | 'exposure' | 'limits' | 'dos' | 'mediapipe' | 'inference';
export type Profile = 'quick' | 'nightly' | 'acceptance';
export type Requirement = 'required' | 'recommended';

export interface CheckDefinition {
  id: string;
  title: string;
  clause: string;
  requirement: Requirement;
  profile: Profile;
  remediation: string;
  implemented: boolean;
}

export const PROFILES: readonly Profile[] = ['quick', 'nightly', 'acceptance'];

const def = (id: string, profile: Profile, requirement: Requirement, clause: string, title: string, remediation: string, implemented = false): CheckDefinition =>
  ({ id, title, clause, requirement, profile, remediation, implemented });

export const CATALOG: readonly CheckDefinition[] = [
  def('hardening.image-user', 'quick', 'required', 'S1', "the image's configured user is not root", 'build the image with a non-root USER (OVMS: USER ovms, UID 5000)', true),
  def('hardening.default-uid', 'quick', 'required', 'S1', 'without --user, the server process runs as the expected UID (5000 for OVMS)', 'use an image whose default user is ovms (UID 5000), or always pass --user with a non-root uid:gid', true),
  def('hardening.override-uid', 'quick', 'required', 'S1', 'with --user U:G the server runs as U:G, and U is not 0', 'run with --user UID:GID naming a non-root account, e.g. --user 5000:5000', true),
  def('hardening.read-only-rootfs', 'quick', 'required', 'S1', 'the root filesystem is read-only', 'run with --read-only (and --tmpfs /tmp)', true),
  def('hardening.tmp-writable', 'quick', 'required', 'S1', '/tmp is a tmpfs the runtime user can write', 'run with --tmpfs /tmp on an image whose /tmp is mode 1777', true),
  def('hardening.starts-read-only', 'quick', 'required', 'S1', 'the server becomes ready under --read-only + --tmpfs /tmp + non-root user, with no write errors in its log', 'remove whatever the server writes outside /tmp at start (cache dirs, log files), or point it at the tmpfs', true),
  def('hardening.cloud-storage-tmp', 'nightly', 'required', 'S1', 'with the model repository in an object store, the read-only server loads its model because /tmp is a writable tmpfs', 'add --tmpfs /tmp when --read-only is combined with s3:// / az:// / gs:// model paths (in Kubernetes: an emptyDir volume at /tmp with readOnlyRootFilesystem)', true),
  def('page.example-command', 'quick', 'required', 'S1', "the page's own example command starts the server with the image under test", 'add --port 9178 to the page\'s command: docker run --rm -d --user $(id -u):$(id -g) --read-only --tmpfs /tmp -v ${PWD}/models/:/models -p 9178:9178 openvino/model_server:latest --model_path /models/resnet/ --model_name resnet --port 9178', true),
  def('hardening.privileged', 'quick', 'required', 'S1', "the server's container holds no privilege beyond Docker's default", 'drop --privileged, --cap-add, --device, --pid/--ipc/--uts host and unconfined seccomp/apparmor from the run command'),
  def('hardening.runtime-socket', 'quick', 'required', 'S1', "no container-runtime API socket is reachable by the server's user", 'do not mount /var/run/docker.sock (or containerd, CRI-O, podman sockets) into the server container'),
  def('hardening.api-key-secrecy', 'quick', 'recommended', 'E2', 'the generative API key is not exposed by the deployment', 'give the key with --api_key_file on a read-only secret mount, not API_KEY, and never run with --log_level TRACE'),
  def('hardening.models-read-only', 'quick', 'recommended', 'S1', 'the model repository is mounted read-only', 'mount the model folder with :ro, e.g. -v /srv/models:/models:ro', true),
  def('hardening.no-capabilities', 'quick', 'recommended', 'S1', 'the server process holds no effective capabilities', 'run as a non-root user and with --cap-drop ALL', true),
  def('hardening.no-new-privileges', 'quick', 'recommended', 'CIS Docker 1.6.0 5.26', 'the process cannot gain privileges', 'run with --security-opt no-new-privileges', true),
  def('exposure.bind-scope', 'quick', 'recommended', 'S2', 'published ports are reachable only where intended', 'publish on 127.0.0.1 (-p 127.0.0.1:9178:9178) or put a proxy in front', true),
  def('exposure.plaintext', 'quick', 'recommended', 'S2', 'whether gRPC and REST answer in plaintext without credentials', 'put a TLS-terminating, authorising reverse proxy in front of OVMS', true),
  def('exposure.proxy-tls', 'quick', 'required', 'S2', 'in proxy mode, TLS >= 1.2 is enforced and the certificate chains to the configured CA', 'set ssl_protocols TLSv1.2 TLSv1.3 and serve the CA-signed certificate', true),
  def('exposure.proxy-auth', 'quick', 'required', 'S2', 'in proxy mode, requests without valid credentials are rejected on REST and gRPC, valid ones served', 'enable client authentication (ssl_verify_client on, or an auth layer) for both ports', true),
  def('exposure.proxy-bypass', 'quick', 'required', 'S2', "in proxy mode, the server's own ports are not reachable from outside the proxy", 'bind OVMS to 127.0.0.1 behind the proxy (--grpc_bind_address/--rest_bind_address)', true),
  def('exposure.api-key', 'quick', 'required', 'E2', 'generative endpoints under /v3 and /v1 require the API key', 'start the server with --api_key_file /run/secrets/ovms-key (a read-only secret mount)'),
  def('exposure.media-urls', 'quick', 'required', 'E3', 'image URLs in generative requests are fetched only from intended hosts', 'list only the hosts that serve images in --allowed_media_domains; leave OVMS_MEDIA_URL_ALLOW_REDIRECTS unset'),
  def('exposure.admin-endpoints', 'quick', 'recommended', 'S2', 'configuration reload and status, the model list and /metrics are not open to anonymous clients', 'block /v1/config, /v1/config/reload, /v3/models and /metrics in the proxy, or require authentication for them'),
  def('exposure.cors', 'quick', 'recommended', 'S2', 'CORS policy', 'set --allowed_origins to the origins that need access', true),
  def('limits.grpc-oversize', 'quick', 'required', 'S3', 'a gRPC message over the limit is rejected with RESOURCE_EXHAUSTED and the server stays live', 'keep the 1 GiB gRPC limit (do not rebuild OVMS with a larger SetMaxReceiveMessageSize)', true),
  def('limits.grpc-buffering', 'nightly', 'recommended', 'S3', 'how much memory one oversized gRPC message makes the server hold before it answers', 'bound server memory with --grpc_memory_quota and a container memory limit', true),
  def('limits.rest-oversize', 'quick', 'required', 'S3', 'a REST body over the limit is rejected, and the server stays live', 'keep the 1 GiB REST body limit; put a proxy with client_max_body_size in front', true),
  def('limits.grpc-at-limit', 'nightly', 'required', 'S3', 'a gRPC message just under the limit is not rejected for its size', 'check for a proxy or server limit lower than 1 GiB', true),
  def('limits.rest-at-limit', 'nightly', 'required', 'S3', 'a REST body just under the limit is not rejected for its size', 'check for a proxy or server limit lower than 1 GiB', true),
  def('dos.max-concurrent-streams', 'quick', 'required', 'S3', 'the server advertises the configured SETTINGS_MAX_CONCURRENT_STREAMS', 'set --grpc_channel_arguments grpc.max_concurrent_streams=N with a numeric N > 0', true),
  def('dos.streams-queued', 'quick', 'required', 'S3', 'calls beyond the stream limit on one connection are queued, not failed', 'use a gRPC client that honours SETTINGS_MAX_CONCURRENT_STREAMS', true),
  def('dos.channel-args', 'quick', 'required', 'S3', "the deployment's --grpc_channel_arguments are sane", 'use numeric values > 0 for grpc.max_concurrent_streams and drop unknown keys', true),
  def('dos.thread-cap', 'nightly', 'required', 'S3', 'a flood above grpc_max_threads is refused fast instead of absorbed', 'keep --grpc_max_threads set (default 8 x cores); never 0 in production', true),
  def('dos.memory-quota', 'nightly', 'required', 'S3', 'concurrent large requests whose total exceeds grpc_memory_quota are cut off, the server survives', 'keep --grpc_memory_quota set (default 2 GiB); never 0 in production', true),
  def('dos.inference-parallelism', 'nightly', 'required', 'S3', 'parallel inference per model is bounded by NUM_STREAMS / nireq', 'set NUM_STREAMS or PERFORMANCE_HINT and --nireq for the model', true),
  def('dos.memory-headroom', 'quick', 'recommended', 'S3', "the container's memory limit leaves room for the gRPC quota, the largest accepted message and the model", 'set the memory limit above grpc_memory_quota + 1 GiB + the model size, or lower --grpc_memory_quota'),
  def('dos.rest-flood', 'nightly', 'required', 'S3', 'a REST flood above the worker count leaves the server live and ready', 'size --rest_workers for the expected load and rate-limit in the proxy', true),
  def('dos.recovery', 'nightly', 'required', 'S3', 'after all floods the server is ready and answers a correct inference', 'investigate the server log for crashes under load', true),
  def('mediapipe.graphs-ready', 'quick', 'required', 'S4', 'every configured graph reports ready', 'fix the graph definition named in the evidence', true),
  def('mediapipe.sample-rest', 'quick', 'required', 'S4', 'every graph answers its sample request over KServe REST with the expected output', 'fix the graph or its sample; the server error is in the evidence', true),
  def('mediapipe.sample-grpc', 'quick', 'required', 'S4', 'every graph answers its sample request over KServe gRPC with the expected output', 'fix the graph or its sample; the server error is in the evidence', true),
  def('inference.health', 'quick', 'required', '-', 'server live and ready over REST and gRPC', 'check the server log', true),
  def('inference.model-metadata', 'quick', 'required', '-', "the served model's inputs and outputs are what the deployment expects", 'serve the expected model files', true),
  def('inference.classify-sample', 'quick', 'required', '-', 'a real image is classified correctly (zebra -> 340) over REST and gRPC', 'serve the real resnet50-binary-0001 files', true),
  def('inference.bad-requests', 'quick', 'required', '-', 'malformed or hostile requests get client errors and the server stays live', 'upgrade OVMS; report the crashing request upstream', true),
];

export function findCheck(id: string): CheckDefinition | undefined {
  return CATALOG.find((c) => c.id === id);
}

export function areaOf(id: string): Area {
  return id.split('.')[0] as Area;
}

export function inProfile(check: CheckDefinition, profile: Profile): boolean {
  return PROFILES.indexOf(check.profile) <= PROFILES.indexOf(profile);
}

/** Whether a run's options plan the check: its profile, or a store of the user's for the object-store check (then any profile). */
export function runsIn(check: CheckDefinition, o: { profile: Profile; modelRepository: unknown }): boolean {
  return inProfile(check, o.profile) || (check.id === 'hardening.cloud-storage-tmp' && o.modelRepository !== null);
}
