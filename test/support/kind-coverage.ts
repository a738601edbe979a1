// Which checks judge on which kind of target, from each check's needs: the README's table is
// checked against this, so it cannot drift from the code.
import { CHECKS } from '../../src/checks/index.js';
import { missing } from '../../src/check-kit/needs.js';
import type { TargetDescription } from '../../src/targets/target-description.js';

const endpoint = { address: 'x', transport: { kind: 'plaintext' as const }, credential: null };
// The harness's own deployments enable /metrics; an owner's or a declared one is taken to as well.
const command = (declared: boolean) => ({ serverArgs: ['--metrics_enable'], declared, source: '', dockerRun: null, deployment: 'as deployed' as const, deviations: [] });

/** The columns: a kind and what it offers the checks. */
export const KIND_COLUMNS: { name: string; target: Partial<TargetDescription> }[] = [
  { name: 'container, stand-in', target: { kind: 'container', container: { startedBy: 'harness' } as TargetDescription['container'], endpoints: { rest: endpoint, grpc: endpoint }, command: command(false) } },
  { name: 'attach', target: { kind: 'attach', container: { startedBy: 'owner' } as TargetDescription['container'], endpoints: { rest: endpoint, grpc: endpoint }, command: command(false) } },
  { name: 'remote', target: { kind: 'remote', container: null, endpoints: { rest: endpoint, grpc: endpoint }, command: null } },
  { name: 'remote, gRPC only', target: { kind: 'remote', container: null, endpoints: { rest: null, grpc: endpoint }, command: null } },
  { name: 'remote + `--declared-server-args`', target: { kind: 'remote', container: null, endpoints: { rest: endpoint, grpc: endpoint }, command: command(true) } },
];

export function kindCoverageRows(): string[] {
  return CHECKS.map((c) => {
    const cells = KIND_COLUMNS.map(({ target }) => (c.needs.some((n) => missing(target as TargetDescription, n)) ? 'skips' : 'judges'));
    return `| \`${c.id}\` | ${cells.join(' | ')} |`;
  });
}

export function kindCoverageTable(): string {
  return [`| check | ${KIND_COLUMNS.map((k) => k.name).join(' | ')} |`, `|---|${KIND_COLUMNS.map(() => '---').join('|')}|`, ...kindCoverageRows()].join('\n');
}
