// A Docker USER value resolved as the runtime resolves it (runc libcontainer/user GetExecUser):
// empty means the default, root; a numeric user is always a UID ("00" is 0), whatever passwd says;
// a name is looked up in the image's own /etc/passwd; a group likewise in /etc/group.
export interface PasswdEntry { name: string; uid: number; gid: number; home: string }

export function parsePasswd(text: string): PasswdEntry[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'))
    .filter((f) => f.length >= 4).map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '' }));
}

function parseGroups(text: string): { name: string; gid: number }[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'))
    .filter((f) => f.length >= 3).map((f) => ({ name: f[0]!, gid: Number(f[2]) }));
}

/** Go's strconv.Atoi: optional sign, decimal digits, leading zeros allowed. */
function atoi(s: string): number | null {
  return /^[+-]?\d+$/.test(s) ? Number(s) : null;
}

export type ResolvedUser =
  | { ok: true; uid: number; gid: number; name: string | null; home: string | null; how: string }
  | { ok: false; error: string };

export function resolveUser(spec: string, passwd: string | null, group: string | null): ResolvedUser {
  const [userArg = '', groupArg = ''] = spec.split(':');
  const users = passwd === null ? [] : parsePasswd(passwd);
  const uidArg = atoi(userArg);
  let uid = 0;
  let gid = 0;
  let name: string | null = null;
  let home: string | null = null;
  let how: string;
  const match = userArg === '' ? users.find((u) => u.uid === 0) : uidArg !== null ? users.find((u) => u.uid === uidArg) : users.find((u) => u.name === userArg);
  if (match) {
    ({ uid, gid, name, home } = match);
    how = userArg === '' ? 'USER unset: the default user, root' : uidArg !== null ? `numeric USER ${userArg} is UID ${uidArg} (passwd: ${match.name})` : `passwd entry ${match.name}:x:${match.uid}:${match.gid}`;
  } else if (userArg === '') {
    how = 'USER unset: the default user, root (UID 0)';
  } else if (uidArg !== null) {
    uid = uidArg;
    how = `numeric USER ${userArg} is UID ${uidArg} (not in the image's passwd)`;
  } else {
    return { ok: false, error: `user ${userArg} is not in the image's /etc/passwd${passwd === null ? ' (the image has none)' : ''}: the container cannot start` };
  }
  if (groupArg !== '') {
    const gidArg = atoi(groupArg);
    const g = (group === null ? [] : parseGroups(group)).find((x) => (gidArg !== null ? x.gid === gidArg : x.name === groupArg));
    if (g) gid = g.gid;
    else if (gidArg !== null) gid = gidArg;
    else return { ok: false, error: `group ${groupArg} is not in the image's /etc/group: the container cannot start` };
    how += `, group ${groupArg} is GID ${gid}`;
  }
  return { ok: true, uid, gid, name, home, how };
}
