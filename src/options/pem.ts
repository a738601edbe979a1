// --ca, --cert and --key are read as PEM before anything starts, and a problem is said in words
// rather than OpenSSL's.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Why a --ca/--cert/--key file is not what it must be (PEM), in words rather than OpenSSL's. */
export function pemProblem(key: 'ca' | 'cert' | 'key', path: string): string | null {
  const text = readFileSync(path);
  if (key === 'key') {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text.toString('latin1'))) return 'is not a PEM private key (no -----BEGIN ... PRIVATE KEY----- block); pass the client key in PEM';
    try { createPrivateKey(text); return null; } catch { return 'holds a PEM private key block that cannot be read (damaged, or encrypted with a passphrase); pass an unencrypted PEM key'; }
  }
  if (!text.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) return `is not a PEM certificate (no -----BEGIN CERTIFICATE----- block); pass the ${key === 'ca' ? 'CA' : 'client'} certificate in PEM`;
  try { new X509Certificate(text); return null; } catch { return 'holds a certificate block that cannot be read (damaged or not X.509); pass a PEM certificate'; }
}
