// Waivers: a reviewed exception, written down. A file (YAML or JSON) lists, per check id, an
// optional target kind and image to match, the reason, who owns it and until when it holds:
//
//   waivers:
//     - check: exposure.plaintext
//       image: openvino/model_server:2026.*     # optional, a glob on the image, its id or a digest
//       target: container                       # optional, the target kind
//       reason: TLS terminates in the mesh sidecar (ticket SEC-123)
//       owner: alice@example.com
//       expires: 2027-03-31
//
// A matching, unexpired waiver turns that check's fail into "waived" (the verdict stays in
// report.json as fail, with the waiver beside it); an expired one that matches is itself a failure.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';

export interface Waiver { check: string; target: string | null; image: string | null; reason: string; owner: string; expires: string; file: string; line: number }

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readWaivers(file: string, shownAs: string, checkIds: readonly string[]): Waiver[] {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`--waivers: cannot read '${shownAs}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass a waiver file (see README "Waivers")`); }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors[0]) {
    const at = lines.linePos(doc.errors[0].pos[0]);
    throw new UsageError(`--waivers: ${shownAs}:${at.line}:${at.col}: not valid YAML or JSON (${doc.errors[0].message.split('\n')[0]})`);
  }
  const list = (doc.toJS() as { waivers?: unknown } | null)?.waivers;
  if (!Array.isArray(list)) throw new UsageError(`--waivers: ${shownAs} has no "waivers:" list; see README "Waivers" for the format`);
  return list.map((raw, i) => {
    const node = doc.getIn(['waivers', i], true) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lines.linePos(node.range[0]).line : 1;
    const at = `--waivers: ${shownAs}:${line}`;
    const w = (raw ?? {}) as Record<string, unknown>;
    const str = (k: string): string | null => (w[k] === undefined || w[k] === null ? null : String(w[k] instanceof Date ? (w[k] as Date).toISOString().slice(0, 10) : w[k]).trim());
    const check = str('check');
    if (!check || !checkIds.includes(check)) throw new UsageError(`${at}: check '${check ?? ''}' is not a check id; see the check table in README.md`);
    for (const k of ['reason', 'owner', 'expires']) if (!str(k)) throw new UsageError(`${at}: the waiver of ${check} has no ${k}; every waiver says why, who owns it and until when`);
    const expires = str('expires')!;
    if (!DATE.test(expires) || Number.isNaN(Date.parse(`${expires}T23:59:59Z`))) throw new UsageError(`${at}: expires '${expires}' is not a date; write it as YYYY-MM-DD`);
    return { check, target: str('target'), image: str('image'), reason: str('reason')!, owner: str('owner')!, expires, file: shownAs, line };
  });
}

const glob = (pattern: string, value: string): boolean => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

/** Whether a waiver names this check on this target (kind, and image by name, id or digest). */
export function waiverMatches(w: Waiver, checkId: string, target: { kind: string; image: string | null; imageId: string | null; repoDigests: readonly string[] }): boolean {
  if (w.check !== checkId) return false;
  if (w.target && w.target !== target.kind) return false;
  if (w.image) return [target.image, target.imageId, ...target.repoDigests].some((v) => v !== null && glob(w.image!, v));
  return true;
}

/** A waiver holds through the whole day it names (UTC). */
export const expired = (w: Pick<Waiver, 'expires'>, at: Date): boolean => at.getTime() > Date.parse(`${w.expires}T23:59:59.999Z`);
