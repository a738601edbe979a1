import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/checks/catalog.js';
import { OPTION_SPECS, STAND_IN_FAULTS } from '../../src/options.js';

const checksMd = new URL('../../../shared/CHECKS.md', import.meta.url);
const suitesDir = new URL('../../suites/', import.meta.url);

function idsInSuites(): string[] {
  return readdirSync(suitesDir).flatMap((f) => [...readFileSync(new URL(f, suitesDir), 'utf8').matchAll(/defineCheck\('([a-z]+\.[a-z0-9-]+)'/g)].map((m) => m[1]!));
}

describe('check catalog', () => {
  it('ids are unique and shaped area.kebab-name', () => {
    const ids = CATALOG.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(hardening|page|exposure|limits|dos|mediapipe|inference)\.[a-z0-9-]+$/);
  });

  it('the suites define exactly the implemented checks, each once', () => {
    const inSuites = idsInSuites();
    expect(new Set(inSuites).size).toBe(inSuites.length);
    expect(inSuites.sort()).toEqual(CATALOG.filter((c) => c.implemented).map((c) => c.id).sort());
  });

  it('README names every check id, every option and its two commands', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const c of CATALOG) expect(readme).toContain(c.id);
    for (const o of OPTION_SPECS) expect(readme, o.flag).toContain(`\`--${o.flag}`);
    expect(readme).toContain('bash scripts/with-env.sh npx ovms-validate --target stand-in --profile quick --user 1000:1000 --report-dir reports/stand-in');
    expect(readme).toContain('bash scripts/with-env.sh npm run test:self');
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).toContain('bash scripts/with-env.sh npm run test:self');
    expect(ci).toContain('bash scripts/with-env.sh npx ovms-validate --target stand-in --profile quick --user 1000:1000 --report-dir reports/stand-in');
  });

  it.runIf(existsSync(checksMd))('matches the ids and faults of shared/CHECKS.md', () => {
    const md = readFileSync(checksMd, 'utf8');
    const mdIds = [...md.matchAll(/^\| ([a-z]+\.[a-z0-9-]+) \|/gm)].map((m) => m[1]!);
    expect(CATALOG.map((c) => c.id).sort()).toEqual([...new Set(mdIds)].sort());
    const mdFaults = [...md.matchAll(/^\| ([a-z0-9-]+)(?: \(.*?\))? \| /gm)].map((m) => m[1]!);
    // Faults added here beyond CHECKS.md's list (each tested in test/integration).
    const ours = ['grpc-not-ready', 'oversize-early-reject', 'rest-flood-crash'];
    for (const f of STAND_IN_FAULTS.filter((x) => !ours.includes(x))) expect(mdFaults).toContain(f);
  });
});
