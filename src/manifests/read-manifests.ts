// Reads Kubernetes manifests: files, folders (their .yaml, .yml and .json files, sorted), or `-`
// for standard input (helm template, kustomize build). YAML multi-document and JSON both go
// through the `yaml` parser, which keeps each node's source range: line numbers come from there.
// A List's items are objects of their own. A parse error is bad input: its file and line.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { UsageError } from '../errors.js';

export type FieldPath = (string | number)[];

/** One Kubernetes object and where it is: its document, its path in it (a List item is deeper). */
export interface SourcedObject {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  path: FieldPath;
  value: Record<string, unknown>;
}

export interface ReadResult { objects: SourcedObject[]; files: string[]; documents: number }

const MANIFEST = /\.(ya?ml|json)$/i;

function filesOf(arg: string, cwd: string): string[] {
  const abs = resolve(cwd, arg);
  if (!existsSync(abs)) throw new UsageError(`manifests: '${arg}' does not exist; pass manifest files, folders, or - for standard input`);
  if (!statSync(abs).isDirectory()) return [abs];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (MANIFEST.test(e.name)) out.push(p);
    }
  };
  walk(abs);
  return out;
}

/** A path as the report shows it: relative to the working folder when inside it. */
export const shownPath = (abs: string, cwd: string): string => {
  if (abs === '-') return '(standard input)';
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : abs;
};

export function parseManifestText(text: string, file: string): { objects: SourcedObject[]; documents: number } {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) return { objects: [], documents: 0 };
  const objects: SourcedObject[] = [];
  let documents = 0;
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const at = lines.linePos(err.pos[0]);
      throw new UsageError(`manifests: ${file}:${at.line}:${at.col}: not valid YAML or JSON (${err.message.split('\n')[0]}); fix the manifest or leave the file out`);
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) continue;
    documents++;
    if (typeof value !== 'object' || Array.isArray(value)) continue;
    const o = value as Record<string, unknown>;
    if (typeof o['kind'] === 'string' && o['kind'].endsWith('List') && Array.isArray(o['items'])) {
      (o['items'] as unknown[]).forEach((item, i) => {
        if (item && typeof item === 'object' && !Array.isArray(item)) objects.push({ file, doc, lines, path: ['items', i], value: item as Record<string, unknown> });
      });
    } else objects.push({ file, doc, lines, path: [], value: o });
  }
  return { objects, documents };
}

export function readManifests(args: readonly string[], cwd: string, stdin: () => string): ReadResult {
  const objects: SourcedObject[] = [];
  const files: string[] = [];
  let documents = 0;
  for (const arg of args) {
    const list = arg === '-' ? ['-'] : filesOf(arg, cwd);
    if (list.length === 0) throw new UsageError(`manifests: '${arg}' holds no .yaml, .yml or .json file; pass the folder of your manifests or the files themselves`);
    for (const f of list) {
      const shown = shownPath(f, cwd);
      const text = f === '-' ? stdin() : readFileSync(f, 'utf8');
      const r = parseManifestText(text, shown);
      objects.push(...r.objects);
      documents += r.documents;
      files.push(shown);
    }
  }
  return { objects, files, documents };
}

/** The line of the deepest node that exists along `path` (1-based): a missing field points at its closest parent. */
export function lineAt(o: Pick<SourcedObject, 'doc' | 'lines'>, path: FieldPath): number {
  for (let n = path.length; n >= 0; n--) {
    const node = o.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return o.lines.linePos(node.range[0]).line;
  }
  return 1;
}
