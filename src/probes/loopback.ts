// Floods go to this machine only, unless the user opts in (--allow-remote-flood).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || address === '0:0:0:0:0:0:0:1';
}

export async function assertFloodTarget(host: string, allowRemote: boolean): Promise<void> {
  if (allowRemote) return;
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  const remote = addresses.filter((a) => !isLoopback(a));
  if (addresses.length === 0 || remote.length > 0) {
    throw new Error(`refusing to flood ${host} (${remote.join(', ') || 'unresolved'}): not a loopback address; pass --allow-remote-flood to flood a server you own`);
  }
}
