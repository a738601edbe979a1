// The report folder holds only what the harness wrote. It is taken only when it is absent, empty,
// or holds an earlier ovms-validate report (the marker file lists what that run wrote); a folder
// that is, or contains, the working directory or an input of the run is refused. One run at a time
// writes into it (a lock). The new report is staged and swapped in as a whole where the folder can
// be renamed; a mount point or a folder on another filesystem than its parent is written in place,
// replacing only the files an earlier run wrote. A write that fails (disk full) leaves no earlier
// verdict file behind that could be taken for this run's.
import {
  accessSync, constants, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync,
  statfsSync, statSync, writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';
import { REPORT_FILES } from '../options/resolved-options.js';

/** Written into every report folder the harness fills: which run wrote it, and which files. */
export const MARKER = '.ovms-validate-report.json';
const LOCK = '.ovms-validate.lock';
/** Names a report folder of this harness can hold (an earlier version wrote no marker). */
export const REPORT_FOLDER_FILES: readonly string[] = [...Object.values(REPORT_FILES), 'server.log', 'compare.md'];

interface Marker { tool: 'ovms-validate'; runId: string; writtenAt: string; files: string[] }

/** A path the report folder must neither be nor contain, and what it is. */
export interface Protected { path: string; what: string }

export interface ReportFolder {
  dir: string;
  /** swap: staged beside the folder and renamed in; in-place: staged inside it (a mount point). */
  mode: 'swap' | 'in-place';
  staging: string;
  runId: string;
  createdDir: boolean;
}

// statfs magic numbers of filesystems that hold no files of their own.
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x1cd1: 'devpts', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2',
  0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x73636673: 'securityfs', 0xcafe4a11: 'bpf', 0x6165676c: 'pstore',
};

const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on the device', EDQUOT: 'the disk quota is used up', EIO: 'an I/O error', EROFS: 'the filesystem became read-only',
  EFBIG: 'a file grew too large', EACCES: 'permission denied', EPERM: 'operation not permitted',
};

const shown = (p: string): string => (p.length > 80 ? `${p.slice(0, 60)}...(${p.length} characters)` : p);
const errCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
function realish(p: string): string {
  const rest: string[] = [];
  let cur = resolve(p);
  for (;;) {
    try {
      return join(realpathSync(cur), ...rest.reverse());
    } catch {
      const up = dirname(cur);
      if (up === cur) return resolve(p);
      rest.push(basename(cur));
      cur = up;
    }
  }
}

const within = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

function readMarker(dir: string): Marker | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Partial<Marker>;
    return m.tool === 'ovms-validate' && Array.isArray(m.files) ? (m as Marker) : null;
  } catch {
    return null;
  }
}

/** A report folder of an ovms-validate version that wrote no marker: only report files, and a report.json of this tool. */
function legacyReport(dir: string, entries: string[]): boolean {
  if (!entries.includes(REPORT_FILES.json) || !entries.every((e) => REPORT_FOLDER_FILES.includes(e))) return false;
  try {
    return (JSON.parse(readFileSync(join(dir, REPORT_FILES.json), 'utf8')) as { tool?: { name?: string } }).tool?.name === 'ovms-validate';
  } catch {
    return false;
  }
}

const ours = (name: string): boolean => name === LOCK || /^\.ovms-validate-staging-[0-9a-f]{8}$/.test(name);

/** The files of an earlier report in `dir` (never anything the harness did not write). */
function earlierReportFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const entries = readdirSync(dir).filter((e) => !ours(e));
  const marker = readMarker(dir);
  if (marker) return entries.filter((e) => e === MARKER || marker.files.includes(e));
  return legacyReport(dir, entries) ? entries : [];
}

function ownerAlive(owner: string): boolean {
  const [host, pid] = owner.trim().split(':');
  if (host !== hostname()) return true; // another machine's run: not ours to judge
  if (!pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const readOwner = (path: string): string | null => { try { return readFileSync(path, 'utf8'); } catch { return null; } };

/** Staging folders (and half-swapped old folders) of runs into `dir` whose process is gone. */
function removeDeadStaging(dir: string): void {
  const parent = dirname(dir);
  const name = basename(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const beside = new RegExp(`^\\.${name}\\.ovms-validate-[0-9a-f]{8}(\\.old)?$`);
  const candidates = [
    ...(existsSync(parent) ? readdirSync(parent).filter((e) => beside.test(e)).map((e) => join(parent, e)) : []),
    ...(existsSync(dir) ? readdirSync(dir).filter((e) => /^\.ovms-validate-staging-[0-9a-f]{8}$/.test(e)).map((e) => join(dir, e)) : []),
  ];
  for (const c of candidates) {
    const owner = readOwner(join(c, '.owner'));
    // A `.old` folder is an earlier report mid-swap: it holds only files the harness wrote.
    if (owner !== null && ownerAlive(owner)) continue;
    if (owner === null && !c.endsWith('.old')) continue;
    rmSync(c, { recursive: true, force: true });
  }
}

function lock(dir: string, where: string): void {
  const file = join(dir, LOCK);
  const me = `${hostname()}:${process.pid}`;
  try {
    writeFileSync(file, me, { flag: 'wx' });
    return;
  } catch (e) {
    if (errCode(e) !== 'EEXIST') throw new UsageError(`${where}: cannot write into '${shown(dir)}' (${errCode(e)}); pass a folder you can write`);
  }
  const holder = readOwner(file) ?? '';
  if (holder && ownerAlive(holder)) {
    throw new UsageError(`${where}: another ovms-validate run (${holder}) is writing its report into '${shown(dir)}'; wait for it to end or pass another folder`);
  }
  writeFileSync(file, me);
}

function unlock(dir: string): void {
  const file = join(dir, LOCK);
  if (readOwner(file) === `${hostname()}:${process.pid}`) rmSync(file, { force: true });
}

export interface OpenInput { runId: string; where: string; protect: readonly Protected[] }

/**
 * Checks the report folder before anything runs, takes its lock and makes the staging folder.
 * Every refusal is a UsageError naming the folder, where it came from and the fix.
 */
export function openReportFolder(dirIn: string, { runId, where, protect }: OpenInput): ReportFolder {
  const dir = resolve(dirIn);
  if (Buffer.byteLength(dir) > 4000 || dir.split(sep).some((c) => Buffer.byteLength(c) > 255)) {
    throw new UsageError(`${where}: '${shown(dirIn)}' is too long for a path (names of at most 255 bytes, 4000 in all); pass a shorter folder`);
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${where}: '${shown(dirIn)}' is a file, not a folder; pass a folder (it is created if missing)`);
  const real = realish(dir);
  for (const p of protect) {
    const rp = realish(p.path);
    if (within(rp, real)) {
      throw new UsageError(`${where}: '${shown(dirIn)}' ${rp === real ? 'is' : 'contains'} ${p.what} (${p.path}), and the report folder is replaced on every run; pass a folder of its own, e.g. reports/ovms`);
    }
  }
  const parent = dirname(dir);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new UsageError(`${where}: '${shown(dirIn)}' cannot be created (${errCode(e)} at ${parent}); pass a folder you can write`);
  }
  const fs = PSEUDO_FS[Number(statfsSync(parent).type)];
  if (fs) throw new UsageError(`${where}: '${shown(dirIn)}' is on ${fs}, a pseudo filesystem; pass a folder on a real filesystem`);
  const exists = existsSync(dir);
  if (exists) {
    const entries = readdirSync(dir).filter((e) => !ours(e));
    const earlier = new Set(earlierReportFiles(dir));
    const foreign = entries.filter((e) => !earlier.has(e));
    if (foreign.length > 0) {
      const list = foreign.sort().slice(0, 3).map((e) => (lstatSync(join(dir, e)).isDirectory() ? `${e}/` : e)).join(', ');
      throw new UsageError(`${where}: '${shown(dirIn)}' holds files ovms-validate did not write (${list}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''}), and the report folder is replaced on every run; pass an empty or new folder`);
    }
  }
  const writable = (p: string): boolean => { try { accessSync(p, constants.W_OK); return true; } catch { return false; } };
  // A mount point (bind mount, volume, tmpfs) cannot be renamed: stage inside it and write in place.
  const mountPoint = exists && statSync(dir).dev !== statSync(parent).dev;
  const inPlace = exists && (mountPoint || !writable(parent));
  if (!(inPlace ? writable(dir) : writable(parent))) {
    throw new UsageError(`${where}: '${shown(dirIn)}' is in ${inPlace ? dir : parent}, which this user cannot write (read-only or no permission); pass a folder you can write`);
  }
  let createdDir = false;
  if (!exists) {
    try {
      mkdirSync(dir);
      createdDir = true;
    } catch (e) {
      throw new UsageError(`${where}: '${shown(dirIn)}' cannot be created (${errCode(e)}); pass a folder you can write`);
    }
  }
  lock(dir, where);
  const folder: ReportFolder = {
    dir, runId, createdDir, mode: inPlace ? 'in-place' : 'swap',
    staging: inPlace ? join(dir, `.ovms-validate-staging-${runId}`) : join(parent, `.${basename(dir)}.ovms-validate-${runId}`),
  };
  try {
    removeDeadStaging(dir);
    mkdirSync(folder.staging);
    writeFileSync(join(folder.staging, '.owner'), `${hostname()}:${process.pid}`);
  } catch (e) {
    closeReportFolder(folder);
    throw new UsageError(`${where}: cannot write beside '${shown(dirIn)}' (${errCode(e)}); pass a folder on a writable filesystem`);
  }
  return folder;
}

/** Removes what an earlier run wrote into the folder (nothing else). */
function removeEarlierReport(dir: string): void {
  for (const f of earlierReportFiles(dir)) rmSync(join(dir, f), { recursive: true, force: true });
}

/**
 * Writes `files` (and the marker) into the staging folder and puts them in the report folder's
 * place. A write error is an EnvironmentError naming the folder; the earlier report is then
 * removed, so no earlier verdict file can be taken for this run's.
 */
export function commitReport(folder: ReportFolder, files: Record<string, string>): string[] {
  const names = Object.keys(files);
  const marker: Marker = { tool: 'ovms-validate', runId: folder.runId, writtenAt: new Date().toISOString(), files: names };
  try {
    mkdirSync(folder.staging, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder.staging, name), text);
    writeFileSync(join(folder.staging, MARKER), JSON.stringify(marker, null, 2));
    rmSync(join(folder.staging, '.owner'), { force: true });
    // Between the start and now a person may have put a file into the folder: then only in place.
    const onlyOurs = readdirSync(folder.dir).every((e) => ours(e) || earlierReportFiles(folder.dir).includes(e));
    if (folder.mode === 'swap' && onlyOurs && swap(folder)) return names.map((n) => join(folder.dir, n));
    removeEarlierReport(folder.dir);
    for (const name of [...names, MARKER]) moveInto(join(folder.staging, name), join(folder.dir, name));
    rmSync(folder.staging, { recursive: true, force: true });
    return names.map((n) => join(folder.dir, n));
  } catch (e) {
    const code = errCode(e);
    rmSync(folder.staging, { recursive: true, force: true });
    try { removeEarlierReport(folder.dir); } catch { /* the error below is the one to show */ }
    const what = WRITE_FAILURES[code] ?? code;
    throw new EnvironmentError(`the report could not be written into ${folder.dir} (${code}: ${what}); no report of this run was kept and the earlier one there was removed; free space or pass another --report-dir`);
  }
}

function swap(folder: ReportFolder): boolean {
  const old = `${folder.staging}.old`;
  try {
    renameSync(folder.dir, old);
  } catch {
    return false;
  }
  try {
    renameSync(folder.staging, folder.dir);
  } catch (e) {
    renameSync(old, folder.dir);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
  return true;
}

function moveInto(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if (errCode(e) !== 'EXDEV') throw e;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}

/** Releases the folder: the lock, a staging folder left behind, and the folder itself when this run made it and left it empty. */
export function closeReportFolder(folder: ReportFolder): void {
  rmSync(folder.staging, { recursive: true, force: true });
  if (!existsSync(folder.dir)) return;
  unlock(folder.dir);
  if (folder.createdDir && readdirSync(folder.dir).length === 0) rmSync(folder.dir, { recursive: true, force: true });
}

/** The marker of a report folder, for `compare --markdown` writing beside a report. */
export function addToReportFolder(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
  const m = readMarker(dir);
  if (m && !m.files.includes(name)) writeFileSync(join(dir, MARKER), JSON.stringify({ ...m, files: [...m.files, name] }, null, 2));
}
