// The report contract (report.json). The JSON Schema published as schema/report.schema.json is
// generated from this zod schema (scripts/write-report-schema.ts; a self-test keeps them equal).
import { z } from 'zod';

export const SCHEMA_VERSION = 4;

const json: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]));

const point = z.tuple([z.number(), z.number()]);
const refLines = z.array(z.object({ name: z.string(), value: z.number() })).optional();
export const ChartSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('line'), title: z.string(), x: z.string(), y: z.string(), series: z.array(z.object({ name: z.string(), points: z.array(point) })), refLines }),
  z.object({ kind: z.literal('bars'), title: z.string(), x: z.string().optional(), y: z.string(), categories: z.array(z.string()), series: z.array(z.object({ name: z.string(), values: z.array(z.number()) })), refLines }),
]);

/** Where a finding is in a file of the user's (a manifest line): SARIF locates its result there. */
export const LocationSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  /** kind/namespace/name of the object, and the container. */
  object: z.string(),
  container: z.string().nullable(),
  level: z.enum(['fail', 'warn']),
  message: z.string(),
});

export const EvidenceSchema = z.object({
  items: z.array(z.string()),
  locations: z.array(LocationSchema).optional(),
  observed: json,
  expected: json,
  truncated: z.boolean().optional(),
  charts: z.array(ChartSchema).optional(),
});

/** A reviewed exception that turns this check's fail into "waived" (or, expired, fails the run). */
export const WaiverSchema = z.object({ reason: z.string(), owner: z.string(), expires: z.string(), file: z.string(), line: z.number().int(), expired: z.boolean() });

const common = {
  id: z.string().regex(/^[a-z]+\.[a-z0-9-]+$/),
  title: z.string(),
  area: z.string(),
  clause: z.string(),
  requirement: z.enum(['required', 'recommended']),
  remediation: z.string(),
  durationMs: z.number().nonnegative(),
  /** static: judged from what a manifest asks for, not from a running server (absent: observed). */
  basis: z.literal('static').optional(),
  waiver: WaiverSchema.optional(),
};

export const CheckResultSchema = z.discriminatedUnion('verdict', [
  z.object({ ...common, verdict: z.literal('pass'), summary: z.string(), evidence: EvidenceSchema }),
  z.object({ ...common, verdict: z.literal('fail'), summary: z.string(), evidence: EvidenceSchema }),
  z.object({ ...common, verdict: z.literal('warn'), summary: z.string(), evidence: EvidenceSchema }),
  z.object({ ...common, verdict: z.literal('skip'), reason: z.string().min(1), evidence: EvidenceSchema.optional() }),
  z.object({ ...common, verdict: z.literal('error'), reason: z.string().min(1), evidence: EvidenceSchema.optional() }),
]);

const EndpointSchema = z.object({
  address: z.string(),
  transport: z.enum(['plaintext', 'TLS']),
  /** How the endpoint authenticates the harness: never the credential itself. */
  credential: z.enum(['none', 'bearer token', 'basic credentials', 'client certificate']),
  tls: z.object({ ca: z.string().nullable(), servername: z.string().nullable(), clientCertificate: z.boolean() }).nullable(),
});

export const DeviationSchema = z.object({
  change: z.enum(['added', 'removed', 'changed']),
  what: z.string(),
  page: z.string().nullable(),
  ran: z.string().nullable(),
  why: z.string(),
});

export const TargetSchema = z.object({
  kind: z.enum(['container', 'attach', 'remote', 'stand-in', 'manifests']),
  standIn: z.boolean(),
  identity: z.object({
    reportedName: z.string().nullable(),
    reportedVersion: z.string().nullable(),
    source: z.string(),
    isOvms: z.boolean(),
    statement: z.string(),
  }),
  image: z.string().nullable(),
  imageId: z.string().nullable(),
  repoDigests: z.array(z.string()),
  serverVersion: z.string().nullable(),
  user: z.string().nullable(),
  deployment: z.enum(['page', 'hardened', 'as deployed']).nullable(),
  /** The equivalent docker run line (containers), else the server arguments when known. */
  command: z.array(z.string()),
  serverArgs: z.array(z.string()).nullable(),
  /** Where serverArgs come from: the command the harness started, the server process, or declared by the user (not observed). */
  serverArgsSource: z.string().nullable(),
  deviations: z.array(DeviationSchema),
  readiness: z.string(),
  /** Whether the server became ready, whether it answered at all (a remote that never answers is an environment problem), and why not. */
  ready: z.boolean(),
  answered: z.boolean(),
  startupError: z.string().nullable(),
  restUrl: z.string().nullable(),
  grpcAddress: z.string().nullable(),
  endpoints: z.object({ rest: EndpointSchema.nullable(), grpc: EndpointSchema.nullable() }),
  standInFaults: z.array(z.string()),
  /** The edition of the security page the server is judged by, and why that one (null: no server was asked). */
  pageEdition: z.object({ edition: z.enum(['E1', 'E2', 'E3']), how: z.string() }).nullable(),
  /** The file that started the deployment, when known (a compose file and the line of its service): SARIF locates results there. */
  deploymentFile: z.object({ path: z.string(), line: z.number().int().positive(), what: z.string() }).nullable(),
});

export const ReportSchema = z.object({
  headline: z.string(),
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('ovms-validate'), version: z.string() }),
  /** The run's id: every container of the run carries it as the label io.ovms-validate.run. */
  runId: z.string(),
  /** What the verdicts support, and the exit code: the first line of every human-readable output. */
  decision: z.object({ status: z.enum(['ready', 'not-ready', 'incomplete']), line: z.string(), exitCode: z.number().int() }),
  target: TargetSchema,
  profile: z.enum(['quick', 'nightly', 'acceptance']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  endReason: z.enum(['completed', 'interrupted', 'failed', 'environment']),
  /** Why the run ended without verdicts, when it did. */
  endDetail: z.string().optional(),
  environment: z.object({
    harness: z.object({ version: z.string(), commit: z.string().nullable(), dirty: z.boolean().nullable() }),
    node: z.string(),
    host: z.string(),
    hostCpus: z.number(),
    hostMemoryBytes: z.number(),
    dockerServerVersion: z.string().nullable(),
    dockerEndpoint: z.string().nullable(),
    engineCpus: z.number().nullable(),
    engineMemoryBytes: z.number().nullable(),
    configFile: z.object({ path: z.string(), sha256: z.string() }).nullable(),
    /** Who ran it, where, and the CI run when there is one. */
    runBy: z.object({
      user: z.string(), host: z.string(),
      ci: z.object({ provider: z.string(), url: z.string().nullable(), commit: z.string().nullable(), ref: z.string().nullable(), workflow: z.string().nullable() }).nullable(),
    }),
  }),
  checks: z.array(CheckResultSchema),
  summary: z.object({ pass: z.number(), fail: z.number(), warn: z.number(), skip: z.number(), error: z.number(), waived: z.number() }),
});

export type CheckResult = z.infer<typeof CheckResultSchema>;
export type TargetInfo = z.infer<typeof TargetSchema>;
export type Report = z.infer<typeof ReportSchema>;
export type FindingLocation = z.infer<typeof LocationSchema>;

export function reportJsonSchema(): unknown {
  return z.toJSONSchema(ReportSchema, { target: 'draft-2020-12' });
}
