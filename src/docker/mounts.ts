// The server process's mount table (/proc/<pid>/mountinfo), and which mounts leave something on
// the root filesystem writable. Allowed writable: the /tmp tmpfs, /dev/shm, and the kernel's
// pseudo filesystems (proc, sysfs, cgroup, devices under /dev).
export interface MountInfo {
  mountPoint: string;
  /** The path inside the source filesystem that is mounted (a bind's host path, a volume's _data). */
  root: string;
  fstype: string;
  source: string;
  readOnly: boolean;
  options: string[];
}

const unescape = (s: string): string => s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [left = '', right = ''] = line.split(' - ');
    const f = left.split(' ');
    const r = right.split(' ');
    const options = (f[5] ?? '').split(',');
    out.push({ root: unescape(f[3] ?? ''), mountPoint: unescape(f[4] ?? ''), options, readOnly: options.includes('ro'), fstype: r[0] ?? '', source: unescape(r[1] ?? '') });
  }
  return out;
}

/** The mount that holds `path`: the last mount of the longest mount point that is a prefix (as the kernel resolves it). */
export function mountFor(mounts: readonly MountInfo[], path: string): MountInfo | undefined {
  let best: MountInfo | undefined;
  for (const m of mounts) {
    const prefix = m.mountPoint === '/' ? '/' : `${m.mountPoint}/`;
    if (path === m.mountPoint || path.startsWith(prefix)) {
      if (!best || m.mountPoint.length >= best.mountPoint.length) best = m;
    }
  }
  return best;
}

const PSEUDO = new Set(['proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'mqueue', 'devtmpfs', 'securityfs', 'debugfs', 'tracefs', 'bpf', 'pstore', 'configfs', 'fusectl', 'binfmt_misc', 'autofs', 'nsfs', 'hugetlbfs']);
const under = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);

/** Why a writable mount is allowed, or null when it leaves the root filesystem writable. */
export function allowedWritable(m: MountInfo): string | null {
  if (m.mountPoint === '/tmp' && m.fstype === 'tmpfs') return 'the /tmp tmpfs';
  if (m.mountPoint === '/dev/shm') return 'shared memory (/dev/shm)';
  if (PSEUDO.has(m.fstype)) return `pseudo filesystem ${m.fstype}`;
  if ((under(m.mountPoint, '/proc') || under(m.mountPoint, '/sys') || under(m.mountPoint, '/dev')) && (m.fstype === 'tmpfs' || m.fstype === 'devtmpfs')) return `kernel/device mount (${m.fstype})`;
  return null;
}

/** Docker's description of a mount point, from inspect: bind, named or anonymous volume. */
export interface InspectMount { type: string; name: string | null; source: string; destination: string; rw: boolean }

export function describeSource(m: MountInfo, inspect: readonly InspectMount[]): string {
  const i = inspect.find((x) => x.destination === m.mountPoint);
  if (i?.type === 'volume') return /^[0-9a-f]{64}$/.test(i.name ?? '') ? `anonymous volume ${i.name!.slice(0, 12)}` : `named volume ${i.name}`;
  if (i?.type === 'bind') return `bind mount of ${i.source}`;
  if (i?.type === 'tmpfs' || m.fstype === 'tmpfs') return 'tmpfs';
  if (m.mountPoint === '/') return `the container's root filesystem (${m.fstype})`;
  if (/\/containers\/[0-9a-f]{64}\/(hosts|hostname|resolv\.conf)$/.test(m.root)) return `Docker's own ${m.mountPoint}`;
  return `${m.fstype} ${m.source}${m.root !== '/' ? ` at ${m.root}` : ''}`;
}
