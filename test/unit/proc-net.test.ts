// The TCP tables of /proc as the probe agent reads them: which sockets the server listens on, and where.
import { describe, expect, it } from 'vitest';
import { hexAddress, parseListeners } from '../../src/docker/proc-net.js';

// Recorded from a stand-in container (--network host): REST on 0.0.0.0:8000, gRPC on [::]:9178, a client connection.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  5000        0 41001 1 0000000000000000 100 0 0 10 0
   1: 0100007F:23F2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99999 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F40 0100007F:C350 01 00000000:00000000 00:00000000 00000000  5000        0 41005 1 0000000000000000 20 4 30 10 -1`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:23DA 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  5000        0 41002 1 0000000000000000 100 0 0 10 0`;

describe('listening sockets from /proc/<pid>/net', () => {
  it('keeps only LISTEN entries of the server\'s own sockets, with their addresses', () => {
    const inodes = new Set(['41001', '41002', '41005']);
    expect(parseListeners(TCP, inodes, 4)).toEqual([{ address: '0.0.0.0', port: 8000, family: 4 }]);
    expect(parseListeners(TCP6, inodes, 6)).toEqual([{ address: '::', port: 9178, family: 6 }]);
  });

  it('decodes IPv4 and IPv6 addresses as the kernel stores them (host byte order per word)', () => {
    expect(hexAddress('0100007F', 4)).toBe('127.0.0.1');
    expect(hexAddress('00000000000000000000000001000000', 6)).toBe('::1');
    expect(hexAddress('0000000000000000FFFF00000100007F', 6)).toBe('::ffff:127.0.0.1');
    expect(hexAddress('B80D0120000000000000000001000000', 6)).toBe('2001:db8::1');
  });
});
