// The kernel's TCP tables (/proc/<pid>/net/tcp and tcp6) read for the sockets a process listens on.

export interface Listener { address: string; port: number; family: 4 | 6 }

export function hexAddress(hex: string, family: 4 | 6): string {
  if (family === 4) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  // Four 32-bit words, each in host (little-endian) byte order.
  const bytes = [0, 1, 2, 3].flatMap((w) => hex.slice(w * 8, w * 8 + 8).match(/../g)!.reverse());
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((g) => parseInt(bytes[g * 2]! + bytes[g * 2 + 1]!, 16));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytes.slice(12).map((b) => parseInt(b, 16)).join('.')}`;
  // The longest run of zero groups becomes "::".
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (best.len < 2) return hexes.join(':');
  return `${hexes.slice(0, best.at).join(':')}::${hexes.slice(best.at + best.len).join(':')}`;
}

/** LISTEN entries (state 0A) of one table whose socket inode is among `inodes`. */
export function parseListeners(table: string, inodes: ReadonlySet<string>, family: 4 | 6): Listener[] {
  const out: Listener[] = [];
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9]!)) continue;
    const [addr, port] = f[1]!.split(':');
    out.push({ address: hexAddress(addr!, family), port: parseInt(port!, 16), family });
  }
  return out;
}
