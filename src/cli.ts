// ovms-validate: proves an OVMS deployment is as hardened as the OVMS security page says it can be.
import { parseArgs } from 'node:util';
import { EXIT, EnvironmentError, UsageError } from './errors.js';
import { CATALOG } from './checks/index.js';
import { helpEntry, OPTION_KEYS, OPTIONS } from './options/option-specs.js';
import { resolveWithWarnings } from './options/resolve.js';
import { preflight } from './run/preflight.js';
import { dockerEndpoint } from './docker/client.js';
import { toolVersion } from './version.js';

function helpText(): string {
  const rows = OPTION_KEYS.map(helpEntry);
  return [
    'ovms-validate - prove an OpenVINO Model Server deployment is as hardened as its security page says',
    '',
    'Usage: ovms-validate [options]',
    '       ovms-validate compare OLD NEW [--tolerance PCT] [--markdown FILE]   what changed between two runs (see compare --help)',
    '       ovms-validate manifests PATH... [--report-dir DIR]                  the page judged in Kubernetes manifests (see manifests --help)',
    '',
    'Starts the server image with the page\'s hardened flags (--user, --read-only, --tmpfs /tmp, models',
    'mounted read-only, ports on 127.0.0.1), or attaches to a container that runs, or dials endpoints,',
    'runs the checks of the chosen profile against it, and writes report.json, junit.xml, summary.md,',
    'report.html (the page a reviewer signs), report.sarif and server.log to the report folder (absent,',
    'empty or holding an earlier report of ovms-validate; an interrupted run leaves only report.json).',
    'With $GITHUB_STEP_SUMMARY set, summary.md is appended to it too. The first line says what the',
    'verdicts support: READY, NOT READY or INCOMPLETE.',
    '',
    'Options (command line > OVMS_* environment > --config file > default):',
    ...rows,
    '  --help                         show this help',
    '  --version                      show the version',
    '',
    'Examples:',
    '  ovms-validate --user 5000:5000                                 validate openvino/model_server:latest',
    '  ovms-validate --target stand-in --user 1000:1000 --report-dir reports/stand-in   offline, against the stand-in',
    '  ovms-validate --target stand-in --stand-in-faults image-root-user                 watch checks fail',
    '  ovms-validate --target stand-in --deployment page                                 the page\'s own command, gRPC only',
    '  ovms-validate --target attach --container ovms                                    a container started by compose or a script',
    '  ovms-validate compare reports/yesterday reports/today                              exit 1 if a verdict or figure got worse',
    '  helm template ovms ./chart | ovms-validate manifests -                             judge what a chart would deploy',
    '  OVMS_TOKEN=... ovms-validate --target remote --rest-url https://ovms.example:8443 --grpc-address ovms.example:9443 --tls --ca ca.pem --token-env OVMS_TOKEN',
    '',
    'Exit codes: 0 READY (checks pass or warn); 1 a check failed or errored, the server never became',
    '            ready, or nothing was judged; 2 bad usage or config (nothing started or written);',
    '            3 environment problem (no Docker engine, image missing, models missing, a remote',
    '            server that never answered, a full disk);',
    '            129, 130, 143 ended by SIGHUP, SIGINT (Ctrl-C), SIGTERM, after removing the run\'s containers.',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const out = (t: string): void => { process.stdout.write(t); };
  const progress = (line: string): void => { process.stderr.write(`[ovms-validate] ${line}\n`); };
  let reportDir: string | null = null;
  try {
    if (argv[0] === 'manifests') {
      const { runManifests, readStdin } = await import('./manifests/manifests-command.js');
      return runManifests(argv.slice(1), { out, progress, env: process.env, cwd: process.cwd(), stdin: readStdin });
    }
    if (argv[0] === 'compare') {
      const { runCompare } = await import('./compare/compare-command.js');
      return runCompare(argv.slice(1), { out, progress, env: process.env });
    }
    const options = Object.fromEntries(Object.values(OPTIONS).map((s) => [s.flag, s.kind === 'multi' ? { type: 'string', multiple: true } as const : { type: s.kind === 'bool' ? 'boolean' : 'string' } as const]));
    const parsed = parseArgs({
      args: argv, strict: true, allowPositionals: false, allowNegative: true,
      options: { ...options, help: { type: 'boolean' }, version: { type: 'boolean' } },
    });
    const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (v['help']) { out(helpText()); return EXIT.OK; }
    if (v['version']) { out(`ovms-validate ${toolVersion()}\n`); return EXIT.OK; }
    const cli: Record<string, string | boolean | string[]> = {};
    for (const key of OPTION_KEYS) {
      const value = v[OPTIONS[key].flag];
      if (value !== undefined) cli[key] = value;
    }
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const { options: opts, warnings, sources } = resolveWithWarnings({ cli, env: process.env, cwd: process.cwd(), uid, gid, checkIds: CATALOG.map((c) => c.id) });
    warnings.push(...preflight(opts, { image: sources['image'] ?? '--image', mediapipeConfig: sources['mediapipeConfig'] ?? '--mediapipe-config (the stand-in\'s default)' }));
    reportDir = opts.reportDir;
    for (const w of warnings) progress(`warning: ${w}`);
    const docker = dockerEndpoint(process.env);
    const reportDirSource = sources['reportDir'] ?? '--report-dir (default)';
    const { runValidation } = await import('./run/run.js');
    const { exitCode } = await runValidation(opts, { progress, out, error: (line) => { process.stderr.write(`ovms-validate: ${line}\n`); } }, { env: process.env, docker, invokingUser: `${uid}:${gid}`, reportDirSource, cwd: process.cwd() });
    return exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ovms-validate: ${e.message}\n`);
      return EXIT.USAGE;
    }
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ovms-validate: ${(e as Error).message.split('\n')[0]}; see ovms-validate --help\n`);
      return EXIT.USAGE;
    }
    if (e instanceof EnvironmentError) {
      process.stderr.write(`ovms-validate: ${e.message}\n`);
      return EXIT.ENVIRONMENT;
    }
    const where = reportDir ? `; no report was written to ${reportDir}` : '';
    process.stderr.write(`ovms-validate: internal error (a bug of ovms-validate, not of your input)${where}:\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.CHECK_FAILED;
  }
}
