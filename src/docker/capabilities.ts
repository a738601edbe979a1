// Linux capability sets as /proc/<pid>/status shows them (hex masks), in names, and Docker's default
// set: what a container gets without --cap-add or --cap-drop (moby's oci/caps/defaults.go).
export const CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT',
  'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE',
  'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ',
  'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
] as const;

export const DOCKER_DEFAULT_CAPS: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE',
  'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
];

/** The names in a /proc status mask ("00000000a80425fb"); null when it cannot be read. */
export function capNames(mask: string): string[] | null {
  if (!/^[0-9a-f]{1,16}$/i.test(mask)) return null;
  const bits = BigInt(`0x${mask}`);
  return CAPABILITIES.filter((_, i) => (bits >> BigInt(i)) & 1n).map(String)
    .concat([...Array(64).keys()].filter((i) => i >= CAPABILITIES.length && (bits >> BigInt(i)) & 1n).map((i) => `CAP_${i}`));
}

/** A capability as Docker's flags name it: "SYS_ADMIN" from "CAP_SYS_ADMIN", "sys_admin" or "SYS_ADMIN". */
export const capName = (flag: string): string => flag.toUpperCase().replace(/^CAP_/, '');

/** Capabilities of a set beyond Docker's default. */
export const beyondDefault = (names: readonly string[]): string[] => names.filter((n) => !DOCKER_DEFAULT_CAPS.includes(capName(n)));
