// The probe agent: runs inside the harness's own helper container, which joins the target's PID
// namespace, so nothing is needed inside the target image (no shell, cat, touch, stat or id).
// It finds the server process by its command line, reads its /proc status and mount table, reads
// and stats files through /proc/<pid>/root, and attempts writes there as the server's own uid,
// gid and groups (in a child that drops to them). Input: one JSON argument; output: JSON on stdout.
// Bundled on its own into the probe image: node built-ins only.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, unlinkSync } from 'node:fs';
import { parseMountinfo } from './mounts.js';
import { parseListeners, type Listener } from './proc-net.js';

export interface AgentRequest {
  containerId: string;
  /** Executable basenames that are the server (argv[0]), e.g. "ovms". */
  executables: string[];
  /** Script paths that are the server when run by an interpreter (argv[1] ends with one). */
  scripts: string[];
  /** Folders to create a file in as the server's user; `$INSTALL` (the server's install folder) and `$HOME` (its user's home) are resolved here. */
  writes: string[];
  stat: string[];
  read: string[];
}

export interface ProcInfo {
  pid: number; ppid: number; name: string; argv: string[];
  uid: number[]; gid: number[]; groups: number[];
  capEff: string; capPrm: string; capBnd: string; noNewPrivs: number | null; threads: number | null;
  /** Seccomp mode: 0 off, 1 strict, 2 filter (Docker's default profile); null when not shown. */
  seccomp: number | null;
  inContainerCgroup: boolean;
}

export type WriteOutcome = 'written' | 'EROFS' | 'EACCES' | 'EPERM' | 'ENOENT' | 'ENOSPC' | 'other';
export interface WriteResult { dir: string; outcome: WriteOutcome; message: string }
export type StatResult = { path: string; mode: number; uid: number; gid: number; type: 'dir' | 'file' | 'other' } | { path: string; error: string };
export type ReadResult = { path: string; text: string } | { path: string; error: string };

/** A socket file the server can see through a mount (never connected to: stat only). */
export interface SocketFile {
  path: string;
  /** The mount it lies on, and that mount's source (a bind's host path). */
  mountPoint: string;
  mountRoot: string;
  fstype: string;
  readOnlyMount: boolean;
  mode: number; uid: number; gid: number;
  /** Which container runtime's API it is, by its name; null for another socket. */
  runtime: string | null;
}

export interface AgentReply {
  processes: ProcInfo[];
  server: { pid: number; how: string } | null;
  serverProblem: string | null;
  mountinfo: string | null;
  writesAs: { uid: number; gid: number; groups: number[] } | null;
  writes: WriteResult[];
  stats: StatResult[];
  files: ReadResult[];
  sockets: SocketFile[];
  /** TCP sockets the server listens on (from its network namespace's /proc/net tables). */
  listeners: Listener[];
}

const read = (p: string): string | null => { try { return readFileSync(p, 'utf8'); } catch { return null; } };

function field(status: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim();
}

function nums(s: string | undefined): number[] {
  return (s ?? '').split(/\s+/).filter(Boolean).map(Number);
}

function processes(containerId: string): ProcInfo[] {
  const self = process.pid;
  const out: ProcInfo[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    const status = read(`/proc/${pid}/status`);
    const cmdline = read(`/proc/${pid}/cmdline`);
    if (status === null || cmdline === null) continue;
    const ppid = Number(field(status, 'PPid') ?? 0);
    if (pid === self || ppid === self) continue;
    const nnp = field(status, 'NoNewPrivs');
    const threads = field(status, 'Threads');
    const seccomp = field(status, 'Seccomp');
    out.push({
      pid, ppid, name: field(status, 'Name') ?? '', argv: cmdline.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1),
      uid: nums(field(status, 'Uid')), gid: nums(field(status, 'Gid')), groups: nums(field(status, 'Groups')),
      capEff: field(status, 'CapEff') ?? '', capPrm: field(status, 'CapPrm') ?? '', capBnd: field(status, 'CapBnd') ?? '',
      noNewPrivs: nnp === undefined ? null : Number(nnp), threads: threads === undefined ? null : Number(threads),
      seccomp: seccomp === undefined ? null : Number(seccomp),
      inContainerCgroup: (read(`/proc/${pid}/cgroup`) ?? '').includes(containerId),
    });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The server: its executable or script is known; among several, the one whose parent is not one too. */
function findServer(all: ProcInfo[], req: AgentRequest): { server: { pid: number; how: string } | null; problem: string | null } {
  const inCgroup = all.some((p) => p.inContainerCgroup) ? all.filter((p) => p.inContainerCgroup) : all;
  const isServer = (p: ProcInfo): string | null => {
    const exe = base(p.argv[0] ?? '');
    if (req.executables.includes(exe)) return `executable ${p.argv[0]}`;
    const script = p.argv[1] ?? '';
    const hit = req.scripts.find((s) => script.endsWith(s));
    return hit ? `script ${script} run by ${p.argv[0]}` : null;
  };
  const candidates = inCgroup.filter((p) => isServer(p) !== null);
  const top = candidates.filter((p) => !candidates.some((q) => q.pid === p.ppid));
  const chosen = top[0];
  if (!chosen) {
    return { server: null, problem: `no process runs ${[...req.executables, ...req.scripts].join(' or ')} (processes: ${inCgroup.map((p) => `${p.pid} ${p.argv.join(' ').slice(0, 80)}`).join('; ') || 'none'})` };
  }
  return { server: { pid: chosen.pid, how: `${isServer(chosen)}${chosen.pid === 1 ? ', PID 1' : `, PID ${chosen.pid} (parent ${chosen.ppid})`}` }, problem: null };
}

function classify(code: string | undefined): WriteOutcome {
  return code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOSPC' ? code : 'other';
}

/** In the child, after dropping to the server's credentials: one create-then-remove per directory. */
function writeChild(root: string, dirs: string[]): WriteResult[] {
  return dirs.map((dir) => {
    const path = `${root}${dir.replace(/\/$/, '')}/.ovms-validate-${randomBytes(4).toString('hex')}`;
    try {
      closeSync(openSync(path, 'wx'));
      unlinkSync(path);
      return { dir, outcome: 'written', message: 'created and removed a file' };
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return { dir, outcome: classify(err.code), message: `${err.code ?? ''} ${err.message}`.trim() };
    }
  });
}

function stats(root: string, paths: string[]): StatResult[] {
  return paths.map((path) => {
    try {
      const s = statSync(`${root}${path}`);
      return { path, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, type: s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other' };
    } catch (e) {
      return { path, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
    }
  });
}

function files(root: string, paths: string[]): ReadResult[] {
  return paths.map((path) => {
    try {
      return { path, text: readFileSync(`${root}${path}`, 'utf8').slice(0, 65536) };
    } catch (e) {
      return { path, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
    }
  });
}

/** The install folder: above `bin` for an executable (/ovms/bin/ovms -> /ovms), the script's folder otherwise. */
function installDir(p: ProcInfo): string {
  const exe = p.argv[0] ?? '';
  const script = p.argv[1] ?? '';
  const file = base(exe) === 'node' || base(exe).startsWith('python') ? script : exe;
  const dir = file.slice(0, file.lastIndexOf('/')) || '/';
  return dir.endsWith('/bin') ? dir.slice(0, -4) || '/' : dir;
}

function resolveDirs(dirs: string[], p: ProcInfo, root: string, uid: number): string[] {
  const home = (read(`${root}/etc/passwd`) ?? '').split('\n').map((l) => l.split(':')).find((f) => Number(f[2]) === uid && f[2] !== '')?.[5];
  const out = dirs.map((d) => d === '$INSTALL' ? installDir(p) : d === '$HOME' ? (home && home !== '/' ? home : null) : d);
  return [...new Set(out.filter((d): d is string => d !== null))];
}

/** Runtime API sockets by file name (docker, containerd, CRI-O, podman and their helpers). */
const RUNTIME_SOCKETS: Record<string, string> = {
  'docker.sock': 'Docker', 'containerd.sock': 'containerd', 'crio.sock': 'CRI-O', 'podman.sock': 'Podman', 'cri-dockerd.sock': 'cri-dockerd',
  'buildkitd.sock': 'BuildKit', 'dockershim.sock': 'dockershim', 'containerd-shim.sock': 'containerd',
};
/** Where runtimes put their sockets, looked at whatever is mounted there. */
const RUNTIME_PATHS = ['/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/run/crio/crio.sock', '/run/podman/podman.sock', '/var/run/podman/podman.sock', '/run/user/0/podman/podman.sock'];
const PSEUDO_FS = new Set(['proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'mqueue', 'securityfs', 'debugfs', 'tracefs', 'bpf', 'pstore', 'configfs', 'fusectl', 'binfmt_misc', 'autofs', 'nsfs', 'hugetlbfs']);

/** Socket files on the server's mounts (not the image's own root filesystem): each mount point, two folder levels below it, and the runtimes' usual paths. */
function sockets(root: string, mountinfo: string): SocketFile[] {
  const mounts = parseMountinfo(mountinfo).filter((m) => m.mountPoint !== '/' && !PSEUDO_FS.has(m.fstype) && !/^\/(proc|sys)(\/|$)/.test(m.mountPoint));
  const mountOf = (path: string) => mounts.filter((m) => path === m.mountPoint || path.startsWith(`${m.mountPoint}/`)).sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
  const found = new Map<string, SocketFile>();
  const look = (path: string, depth: number): void => {
    let st;
    try { st = statSync(`${root}${path}`); } catch { return; }
    if (st.isSocket()) {
      const m = mountOf(path);
      if (!m || found.has(path)) return;
      const name = path.slice(path.lastIndexOf('/') + 1);
      found.set(path, { path, mountPoint: m.mountPoint, mountRoot: m.root, fstype: m.fstype, readOnlyMount: m.readOnly, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, runtime: RUNTIME_SOCKETS[name] ?? null });
    } else if (st.isDirectory() && depth > 0) {
      let entries: string[] = [];
      try { entries = readdirSync(`${root}${path}`).slice(0, 200); } catch { return; }
      for (const e of entries) look(`${path === '/' ? '' : path}/${e}`, depth - 1);
    }
  };
  for (const m of mounts) look(m.mountPoint, 2);
  for (const p of RUNTIME_PATHS) look(p, 0);
  return [...found.values()];
}

/** The TCP sockets the server listens on: LISTEN entries of its namespace whose inode is one of its open files. */
function listeners(pid: number): Listener[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try { const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`)); if (m) inodes.add(m[1]!); } catch { /* closed meanwhile */ }
    }
  } catch { return []; }
  return [4, 6].flatMap((family) => parseListeners(read(`/proc/${pid}/net/${family === 4 ? 'tcp' : 'tcp6'}`) ?? '', inodes, family as 4 | 6));
}

function main(argv: string[]): void {
  if (argv[0] === '--write-child') {
    const { uid, gid, groups, root, dirs } = JSON.parse(argv[1]!) as { uid: number; gid: number; groups: number[]; root: string; dirs: string[] };
    process.setgroups!(groups);
    process.setgid!(gid);
    process.setuid!(uid);
    process.stdout.write(JSON.stringify(writeChild(root, dirs)));
    return;
  }
  const req = JSON.parse(argv[0]!) as AgentRequest;
  const all = processes(req.containerId);
  const { server, problem } = findServer(all, req);
  const reply: AgentReply = { processes: all, server, serverProblem: problem, mountinfo: null, writesAs: null, writes: [], stats: [], files: [], sockets: [], listeners: [] };
  if (server) {
    const p = all.find((x) => x.pid === server.pid)!;
    const root = `/proc/${server.pid}/root`;
    reply.mountinfo = read(`/proc/${server.pid}/mountinfo`);
    reply.sockets = sockets(root, reply.mountinfo ?? '');
    reply.listeners = listeners(server.pid);
    reply.stats = stats(root, req.stat);
    reply.files = files(root, req.read);
    // Effective uid and gid of the server, and its supplementary groups.
    const as = { uid: p.uid[1] ?? p.uid[0]!, gid: p.gid[1] ?? p.gid[0]!, groups: p.groups };
    const dirs = resolveDirs(req.writes, p, root, as.uid);
    if (dirs.length > 0) {
      reply.writesAs = as;
      const child = spawnSync(process.execPath, [process.argv[1]!, '--write-child', JSON.stringify({ ...as, root, dirs })], { encoding: 'utf8', timeout: 30_000 });
      try {
        reply.writes = JSON.parse(child.stdout) as WriteResult[];
      } catch {
        const why = (child.stderr || child.error?.message || `exit ${child.status}`).trim().split('\n').pop() ?? '';
        reply.writes = dirs.map((dir) => ({ dir, outcome: 'other', message: `the write probe could not run as ${as.uid}:${as.gid}: ${why}` }));
      }
    }
  }
  process.stdout.write(JSON.stringify(reply));
}

main(process.argv.slice(2));
