// A test CA with server and client certificates, made with Debian's openssl at test time (valid
// one day): the server certificate names localhost and 127.0.0.1; a second server certificate
// names another host only; the client certificate is for TLS client authentication.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki { dir: string; ca: string; serverCert: string; serverKey: string; wrongNameCert: string; wrongNameKey: string; clientCert: string; clientKey: string }

const ssl = (args: string[]): void => { execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] }); };

function signed(dir: string, ca: { cert: string; key: string }, name: string, subject: string, ext: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, ext);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', subject]);
  ssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '1', '-sha256', '-extfile', extFile]);
  return { cert, key };
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'ovms-validate-pki-'));
  chmodSync(dir, 0o755);
  const ca = { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', ca.key, '-out', ca.cert, '-days', '1', '-subj', '/CN=ovms-validate test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const server = signed(dir, ca, 'server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  const wrong = signed(dir, ca, 'wrong-name', '/CN=elsewhere.example', 'subjectAltName=DNS:elsewhere.example\nextendedKeyUsage=serverAuth\n');
  const client = signed(dir, ca, 'client', '/CN=client', 'extendedKeyUsage=clientAuth\n');
  return { dir, ca: ca.cert, serverCert: server.cert, serverKey: server.key, wrongNameCert: wrong.cert, wrongNameKey: wrong.key, clientCert: client.cert, clientKey: client.key };
}
