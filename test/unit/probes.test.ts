import { describe, expect, it } from 'vitest';
import { writeErrorLines } from '../../src/probes/log-scan.js';
import { mountFor, parseMounts } from '../../src/probes/mounts.js';
import { describeIds, parseProcStatus } from '../../src/probes/process-status.js';
import { classifyWriteError } from '../../src/probes/write-attempt.js';

describe('/proc/1/status', () => {
  const text = 'Name:\tnode\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\nCapBnd:\t00000000a80425fb\nNoNewPrivs:\t1\n';
  it('reads the four uid/gid fields, capabilities and NoNewPrivs', () => {
    const s = parseProcStatus(text);
    expect(s.uid).toEqual([1000, 1000, 1000, 1000]);
    expect(s.capEff).toBe('0000000000000000');
    expect(s.noNewPrivs).toBe(1);
    expect(describeIds(s.uid)).toBe('1000 (real 1000, effective 1000, saved 1000, fs 1000)');
  });
  it('reports NoNewPrivs as absent on kernels without it', () => {
    expect(parseProcStatus('Uid:\t0\t0\t0\t0\n').noNewPrivs).toBeNull();
  });
});

describe('write attempts', () => {
  it.each([
    ["touch: cannot touch '/etc/x': Read-only file system", 'EROFS'],
    ['touch: /etc/x: Read-only file system', 'EROFS'],
    ['touch: /tmp/x: Permission denied', 'EACCES'],
    ['touch: /nope/x: No such file or directory', 'ENOENT'],
    ['something else', 'other'],
  ])('classifies %s', (stderr, outcome) => {
    expect(classifyWriteError(stderr)).toBe(outcome);
  });
});

describe('/proc/mounts', () => {
  const mounts = parseMounts('overlay / overlay ro,relatime 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0\n/dev/vda /models ext4 ro,relatime 0 0\n');
  it('finds the mount holding a path', () => {
    expect(mountFor(mounts, '/tmp')?.fstype).toBe('tmpfs');
    expect(mountFor(mounts, '/tmp/a/b')?.target).toBe('/tmp');
    expect(mountFor(mounts, '/models/resnet')?.options).toContain('ro');
    expect(mountFor(mounts, '/etc')?.target).toBe('/');
    expect(mountFor(mounts, '/tmpx')?.target).toBe('/');
  });
});

describe('log scan', () => {
  it('finds write errors whatever their case', () => {
    expect(writeErrorLines(['ok', 'mkdir failed: Read-only file system', 'EROFS: read-only file system', 'open: Permission denied'])).toHaveLength(3);
  });
});
