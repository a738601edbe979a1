// hardening.api-key-secrecy (page edition E2): the generative endpoints' key is not exposed by the
// deployment: not in API_KEY (anyone who can inspect the container reads it), never printed in
// the server's log (OVMS prints it at --log_level TRACE), its file not on a writable mount. The key
// itself never enters the evidence: a log line that holds it is shown with the value redacted.
import type { CheckContext } from '../../check-kit/context.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { pass, skip, violated, warn, type Evidence, type Judgement } from '../../check-kit/verdict.js';
import { flagValue } from '../../docker/container-spec.js';
import { REDACTED } from '../../secrets/redaction.js';

export interface KeyMount { destination: string; source: string; rw: boolean }
export interface ApiKeySecrecyObs {
  /** API_KEY set (non-empty) in the container's environment. */
  envKey: boolean;
  /** --api_key_file, and the mount it lies on (null: on the image's own filesystem). */
  keyFile: string | null;
  keyFileMount: KeyMount | null;
  readOnlyRootfs: boolean;
  logLevel: string;
  /** Log lines that print the key, already redacted. */
  keyLines: string[];
  logLines: number;
}

const KEY_LINE = /API key: \S/;

/** A log line with the key's value taken out, whatever the value. */
export const redactKeyLine = (line: string): string => line.replace(/(API key: ).*/, `$1${REDACTED}`);

export function judgeApiKeySecrecy(o: ApiKeySecrecyObs): Judgement {
  if (!o.envKey && !o.keyFile) return skip('no API key is configured (neither --api_key_file nor API_KEY): nothing to keep secret; exposure.api-key judges whether the endpoints need one');
  const trace = o.logLevel.toUpperCase() === 'TRACE';
  const where = o.keyFileMount ? `mount ${o.keyFileMount.destination} of ${o.keyFileMount.source}, ${o.keyFileMount.rw ? 'read-write' : 'read-only'}` : `the container's own filesystem (${o.readOnlyRootfs ? 'read-only' : 'writable'} root)`;
  const items = [
    `API_KEY in the container environment: ${o.envKey ? 'set (readable with docker inspect)' : 'not set'}`,
    `--api_key_file: ${o.keyFile ? `${o.keyFile} on ${where}` : 'not given'}`,
    `--log_level ${o.logLevel}${trace ? ': OVMS prints the key at start' : ''}`,
    `server log: ${o.logLines} lines read; lines printing the key: ${o.keyLines.length}`,
    ...o.keyLines.slice(0, 3).map((l) => `  ${l}`),
  ];
  const fileWritable = o.keyFile !== null && (o.keyFileMount ? o.keyFileMount.rw : !o.readOnlyRootfs);
  const evidence: Evidence = {
    items,
    observed: { envKey: o.envKey, keyFile: o.keyFile, keyFileWritable: fileWritable, logLevel: o.logLevel, keyLinesInLog: o.keyLines.length },
    expected: { envKey: false, keyFileWritable: false, logLevel: 'not TRACE', keyLinesInLog: 0 },
  };
  if (o.keyLines.length > 0) return violated(`the server's log prints the API key in clear (${o.keyLines.length} line${o.keyLines.length === 1 ? '' : 's'}, value redacted here): anyone who reads the logs has the key`, evidence);
  if (trace) return violated('--log_level TRACE with a key set: OVMS prints the key in clear at start, into every log collector', evidence);
  if (o.envKey) return warn('the key is in API_KEY, readable by anyone who can inspect the container (docker inspect, the orchestrator\'s API)', evidence);
  if (fileWritable) return warn(`the key file ${o.keyFile} is on a writable ${o.keyFileMount ? 'mount' : 'root filesystem'}: the server's user could replace the key`, evidence);
  return pass(`the key is read from ${o.keyFile} on a read-only ${o.keyFileMount ? 'mount' : 'root filesystem'}, not in the environment, and the log does not print it`, evidence);
}

export default defineCheck({
  id: 'hardening.api-key-secrecy',
  title: 'the generative API key is not exposed by the deployment',
  clause: 'E2',
  requirement: 'required',
  profile: 'quick',
  remediation: 'give the key with --api_key_file on a read-only secret mount, not API_KEY, and never run with --log_level TRACE',
  impact: 'the key file must be mounted and rotated as a secret',
  needs: ['container', 'command'],
  async observe(ctx: CheckContext) {
    const c = ctx.target.container();
    const info = await c.inspect();
    const args = ctx.run.target.command!.serverArgs;
    const keyFile = flagValue(args, '--api_key_file') ?? null;
    const mount = keyFile ? (info.Mounts ?? []).filter((m) => keyFile === m.Destination || keyFile.startsWith(`${m.Destination.replace(/\/$/, '')}/`)).sort((a, b) => b.Destination.length - a.Destination.length)[0] : undefined;
    const log = await c.logs().catch(() => [] as string[]);
    return {
      envKey: (info.Config.Env ?? []).some((e) => e.startsWith('API_KEY=') && e.length > 'API_KEY='.length),
      keyFile, keyFileMount: mount ? { destination: mount.Destination, source: mount.Name ?? mount.Source, rw: mount.RW } : null,
      readOnlyRootfs: info.HostConfig.ReadonlyRootfs === true,
      logLevel: flagValue(args, '--log_level') ?? 'INFO',
      keyLines: log.filter((l) => KEY_LINE.test(l)).map(redactKeyLine), logLines: log.length,
    };
  },
  judge: judgeApiKeySecrecy,
});
