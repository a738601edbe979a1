// Where option values come from: the command line over OVMS_* variables over the --config file over
// the defaults. Each value is parsed for its kind once, here; a wrong one is a UsageError naming
// the value, where it came from (as the user wrote it: the flag, the variable, the config key) and
// the fix.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { envName, OPTION_KEYS, OPTIONS, type Defaulted, type OptionKey, type OptionSpec, type ValueOf } from './option-specs.js';

/** What the command line, the environment or the config file hold, before parsing. */
export type Raw = Partial<Record<string, unknown>>;

/** Environment variables the harness reads that are not options. */
const OTHER_OVMS_VARS = new Set(['OVMS_PROVISION_DOCKERD_PID']);

export function bad(where: string, value: unknown, fix: string): never {
  throw new UsageError(`${where}: '${Array.isArray(value) ? value.join(',') : String(value)}' ${fix}`);
}

function parse(spec: OptionSpec, value: unknown, where: string): string | number | boolean | string[] {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string' || value === '') bad(where, value, 'must be a non-empty string');
      return value;
    case 'int': {
      const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) bad(where, value, 'must be a whole number');
      return n;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return bad(where, value, 'must be true or false');
    case 'multi': {
      // The command line repeats the flag; a variable or a config key holds all of them as one JSON array.
      if (where.startsWith('--')) return Array.isArray(value) ? value.map(String) : [String(value)];
      let items: unknown = value;
      if (typeof value === 'string') {
        try { items = JSON.parse(value); } catch { items = null; }
      }
      if (!Array.isArray(items) || !items.every((x) => typeof x === 'string')) return bad(where, value, 'must be a JSON array of strings, e.g. ["--nireq","2"]');
      return items as string[];
    }
    case 'list': {
      const items = (Array.isArray(value) ? value.map(String) : String(value).split(',')).map((s) => s.trim()).filter(Boolean);
      if (items.length === 0) bad(where, value, 'names nothing; give a comma-separated list, e.g. hardening,dos.recovery');
      return items;
    }
  }
}

/** The closest name by edit distance, for "did you mean". */
export function closest(name: string, known: readonly string[]): string | null {
  const d = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
    }
    return row[b.length]!;
  };
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) { const x = d(name, k); if (x < bestD) { bestD = x; best = k; } }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

export function readConfigFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass an existing JSON file`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config: '${path}' is not valid JSON (${(e as Error).message}); fix the file`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`--config: '${path}' must hold a JSON object of options`);
  const known = OPTION_KEYS.filter((k) => k !== 'config');
  for (const k of Object.keys(doc)) {
    if (!(known as string[]).includes(k)) {
      const near = closest(k, known);
      throw new UsageError(`--config: '${path}' has unknown key '${k}'${near ? `; did you mean '${near}'?` : `; known keys: ${known.join(', ')}`}`);
    }
  }
  return doc as Raw;
}

/** The parsed values of one run's options, each with where it came from. */
export class OptionValues {
  private constructor(
    private readonly values: Partial<Record<OptionKey, unknown>>,
    /** Where each given value came from, as the user wrote it. */
    readonly sources: Partial<Record<OptionKey, string>>,
    readonly configFile: string | null,
  ) {}

  /** Gathers the values of every option from the command line, the environment and the config file. */
  static gather(cli: Raw, env: NodeJS.ProcessEnv, cwd: string): { values: OptionValues; warnings: string[] } {
    const configPath = (cli['config'] as string | undefined) ?? env[envName('config')];
    const configFile = configPath ? resolve(cwd, configPath) : null;
    const file = configFile ? readConfigFile(configFile) : {};
    const warnings: string[] = [];
    const known = OPTION_KEYS.map((k) => envName(OPTIONS[k].flag));
    for (const name of Object.keys(env).filter((k) => k.startsWith('OVMS_') && !known.includes(k) && !OTHER_OVMS_VARS.has(k))) {
      const near = closest(name, known);
      warnings.push(`${name} is not an ovms-validate variable and is ignored${near ? `; did you mean ${near}?` : ''}`);
    }
    const values: Partial<Record<OptionKey, unknown>> = {};
    const sources: Partial<Record<OptionKey, string>> = {};
    for (const key of OPTION_KEYS) {
      if (key === 'config') continue;
      const spec: OptionSpec = OPTIONS[key];
      const fromEnv = env[envName(spec.flag)];
      const [raw, where] = cli[key] !== undefined ? [cli[key], `--${spec.flag}`]
        : fromEnv !== undefined && fromEnv !== '' ? [fromEnv, envName(spec.flag)]
          : file[key] !== undefined ? [file[key], `config key '${key}' in ${configFile}`] : [undefined, ''];
      if (raw !== undefined) { values[key] = parse(spec, raw, where); sources[key] = where; }
    }
    return { values: new OptionValues(values, sources, configFile), warnings };
  }

  /** The value given for an option (command line, variable or config file), or undefined. */
  given<K extends OptionKey>(key: K): ValueOf<K> | undefined {
    return this.values[key] as ValueOf<K> | undefined;
  }

  /** The given value, else the option's default. */
  get<K extends Defaulted>(key: K): ValueOf<K> {
    return (this.values[key] ?? OPTIONS[key].def) as ValueOf<K>;
  }

  has(key: OptionKey): boolean { return this.values[key] !== undefined; }

  /** Where a value came from, as the user wrote it (the flag when it was not given). */
  at(key: OptionKey): string { return this.sources[key] ?? `--${OPTIONS[key].flag}`; }

  /** A UsageError for the option's value. */
  bad(key: OptionKey, value: unknown, fix: string): never { return bad(this.at(key), value, fix); }
}
