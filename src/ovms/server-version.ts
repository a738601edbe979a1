// OVMS versions and what changed between them (ovms-facts section 0): expectations that depend on
// the version follow the version the server or image reports, and the evidence names it.

export interface OvmsVersion { year: number; release: number; raw: string }

/** "2026.3.0", "2025.1", "2026.3.0.4b2c1d", "OpenVINO Model Server 2026.3.0.stand-in" -> {2026, 3}. */
export function parseOvmsVersion(text: string | null | undefined): OvmsVersion | null {
  const m = /(\d{4})\.(\d+)/.exec(text ?? '');
  return m ? { year: Number(m[1]), release: Number(m[2]), raw: (text ?? '').trim() } : null;
}

const atLeast = (v: OvmsVersion, year: number, release: number): boolean => v.year > year || (v.year === year && v.release >= release);

/** --port defaults to 9178 up to 2025.0 and to 0 (gRPC off) from 2025.1 (commit 57769e898). */
export function portDefault(v: OvmsVersion | null): { port: 9178 | 0 | null; why: string } {
  if (!v) return { port: null, why: 'version unknown, so the --port default is unknown' };
  return atLeast(v, 2025, 1)
    ? { port: 0, why: `OVMS ${v.raw}: --port defaults to 0 since 2025.1; with neither --port nor --rest_port it exits 64 ("port and rest_port cannot both be unset")` }
    : { port: 9178, why: `OVMS ${v.raw}: --port defaults to 9178 (up to 2025.0)` };
}

/** Whether the harness must add --port to the page's command for this version (unknown: yes). */
export function portNeeded(v: OvmsVersion | null): { needed: boolean; why: string } {
  const d = portDefault(v);
  return d.port === 9178
    ? { needed: false, why: d.why }
    : { needed: true, why: `added because current OVMS needs a port: ${d.why}` };
}
