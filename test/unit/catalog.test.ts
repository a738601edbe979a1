// The catalog is a contract (shared/CHECKS.md) and derived from the check modules: every built id has
// exactly one module in its area's folder and one judge test beside it, listed once in its area's
// index; the README names every id, option and its two commands.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { kindCoverageTable } from '../support/kind-coverage.js';
import { describe, expect, it } from 'vitest';
import { AREAS } from '../../src/check-kit/entry.js';
import { CATALOG, CHECKS } from '../../src/checks/index.js';
import { OPTIONS } from '../../src/options/option-specs.js';
import { STAND_IN_FAULTS } from '../../src/options/resolved-options.js';

const checksMd = new URL('../../../shared/CHECKS.md', import.meta.url);
const checksDir = new URL('../../src/checks/', import.meta.url);

describe('check catalog', () => {
  it('ids are unique and shaped area.kebab-name', () => {
    const ids = CATALOG.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(new RegExp(`^(${AREAS.join('|')})\\.[a-z0-9]+(-[a-z0-9]+)*$`));
  });

  it('every built check is one module src/checks/<area>/<name>.ts, listed once, in its own area', () => {
    for (const d of CHECKS) {
      const [area, name] = d.id.split('.') as [string, string];
      const module = new URL(`${area}/${name}.ts`, checksDir);
      expect(existsSync(module), d.id).toBe(true);
      expect(readFileSync(module, 'utf8')).toContain(`id: '${d.id}'`);
    }
    expect(new Set(CHECKS.map((d) => d.id)).size).toBe(CHECKS.length);
    // No module that defines a check is left out of its area's index.
    for (const area of readdirSync(checksDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
      for (const f of readdirSync(new URL(`${area}/`, checksDir)).filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts'))) {
        const m = /export default defineCheck\(\{\s*id: '([a-z0-9.-]+)'/.exec(readFileSync(new URL(`${area}/${f}`, checksDir), 'utf8'));
        if (m) expect(CHECKS.map((d) => d.id), `${area}/${f}`).toContain(m[1]);
      }
    }
  });

  it('every built check has a judge test beside it, which names it', () => {
    for (const d of CHECKS) {
      const [area, name] = d.id.split('.') as [string, string];
      const test = new URL(`${area}/${name}.test.ts`, checksDir);
      expect(existsSync(test), `${area}/${name}.test.ts`).toBe(true);
      expect(readFileSync(test, 'utf8'), `${area}/${name}.test.ts`).toContain(`describe('${d.id}'`);
    }
  });

  it('each entry says what it proves, the clause, the remedy and what the remedy costs', () => {
    for (const c of CATALOG) {
      for (const field of ['title', 'clause', 'remediation', 'impact'] as const) expect(c[field].length, `${c.id} ${field}`).toBeGreaterThan(0);
    }
  });

  it('README names every check id, every option and its two commands', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const c of CATALOG) expect(readme).toContain(c.id);
    for (const o of Object.values(OPTIONS)) expect(readme, o.flag).toContain(`\`--${o.flag}`);
    expect(readme).toContain('bash scripts/with-env.sh npx ovms-validate --target stand-in --profile quick --user 1000:1000 --report-dir reports/stand-in');
    expect(readme).toContain('bash scripts/with-env.sh npm run test:self');
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).toContain('bash scripts/with-env.sh npm run test:self');
    expect(ci).toContain('bash scripts/with-env.sh npx ovms-validate --target stand-in --profile quick --user 1000:1000 --report-dir reports/stand-in');
  });

  it("README's check table has a row saying what each built check proves", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Checks\n'));
    const rows = [...section.matchAll(/^\| `([a-z]+\.[a-z0-9-]+)` \| (?!judges|skips)/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it("README's table of which checks judge on which target kind matches the checks' needs", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(kindCoverageTable());
  });

  it.runIf(existsSync(checksMd))('matches the ids and faults of shared/CHECKS.md', () => {
    const md = readFileSync(checksMd, 'utf8');
    const mdIds = [...md.matchAll(/^\| ([a-z]+\.[a-z0-9-]+) \|/gm)].map((m) => m[1]!);
    // Ids added here beyond CHECKS.md's list (a contract grows, never changes): each with its judge test.
    const ownIds = ['hardening.env-secrets'];
    expect(CATALOG.map((c) => c.id).filter((id) => !ownIds.includes(id)).sort()).toEqual([...new Set(mdIds)].sort());
    const mdFaults = [...md.matchAll(/^\| ([a-z0-9-]+)(?: \(.*?\))? \| /gm)].map((m) => m[1]!);
    // Faults added here beyond CHECKS.md's list (each tested in test/integration).
    const ours = ['grpc-not-ready', 'oversize-early-reject', 'rest-flood-crash', 'api-key-route-open', 'api-key-logged', 'media-url-any-host', 'admin-endpoints-off'];
    for (const f of STAND_IN_FAULTS.filter((x) => !ours.includes(x))) expect(mdFaults).toContain(f);
  });
});
