// models/manifest.json: what to download, where to put it, and how to verify it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EnvironmentError } from '../errors.js';

export const ManifestEntrySchema = z.object({
  name: z.string().min(1),
  url: z.url(),
  path: z.string().regex(/^[^/].*[^/]$/).refine((p) => !p.split('/').includes('..'), 'must stay inside the models folder'),
  size: z.number().int().positive(),
  sha384: z.string().regex(/^[0-9a-f]{96}$/).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
}).refine((e) => (e.sha384 === undefined) !== (e.sha256 === undefined), 'exactly one of sha384 or sha256');

export const ManifestSchema = z.object({ description: z.string().optional(), files: z.array(ManifestEntrySchema).min(1) });

export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;
export type Manifest = z.infer<typeof ManifestSchema>;

export function readManifest(path: string): Manifest {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EnvironmentError(`cannot read the model manifest ${path} (${(e as Error).message}); restore models/manifest.json from git`);
  }
  const parsed = ManifestSchema.safeParse(doc);
  if (!parsed.success) throw new EnvironmentError(`model manifest ${path} is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function checksumOf(entry: ManifestEntry): { algorithm: 'sha384' | 'sha256'; hex: string } {
  return entry.sha384 ? { algorithm: 'sha384', hex: entry.sha384 } : { algorithm: 'sha256', hex: entry.sha256! };
}
