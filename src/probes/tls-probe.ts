// TLS handshakes with chosen protocol versions, and what the server's certificate proves: that it
// chains to the given CA and names the host dialled. Old versions are offered with the cipher
// security level lowered, so a refusal is the server's, not this client's (deployment facts 3).
import { checkServerIdentity, connect, type PeerCertificate, type SecureVersion } from 'node:tls';

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface Handshake {
  offered: string;
  accepted: boolean;
  protocol: string | null;
  alpn: string | null;
  /** Why the handshake failed (the alert or socket error), when it did. */
  error: string | null;
  /** Chain verification against the CA given (null when the handshake failed). */
  chain: string | null;
  /** Whether the certificate names the host dialled (null when the handshake failed). */
  name: string | null;
  subject: string | null;
  altNames: string | null;
}

export interface HandshakeOptions {
  host: string;
  port: number;
  min: TlsVersion;
  max: TlsVersion;
  ca?: Buffer;
  servername?: string;
  alpn?: string[];
  timeoutMs?: number;
}

export function handshake(o: HandshakeOptions): Promise<Handshake> {
  const old = o.min === 'TLSv1' || o.min === 'TLSv1.1';
  const offered = o.min === o.max ? o.min : `${o.min}..${o.max}`;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (h: Handshake): void => { if (!settled) { settled = true; socket.destroy(); resolve(h); } };
    const failed = (error: string): Handshake => ({ offered, accepted: false, protocol: null, alpn: null, error, chain: null, name: null, subject: null, altNames: null });
    const socket = connect({
      host: o.host, port: o.port, servername: o.servername ?? (/^[\d.]+$|:/.test(o.host) ? undefined : o.host),
      minVersion: o.min as SecureVersion, maxVersion: o.max as SecureVersion, rejectUnauthorized: false,
      ...(old ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}), ...(o.ca ? { ca: o.ca } : {}), ...(o.alpn ? { ALPNProtocols: o.alpn } : {}),
    });
    const timer = setTimeout(() => finish(failed(`no handshake within ${(o.timeoutMs ?? 5000) / 1000} s`)), o.timeoutMs ?? 5000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate() as PeerCertificate;
      const host = o.servername ?? o.host;
      const nameError = cert && Object.keys(cert).length > 0 ? checkServerIdentity(host, cert) : new Error('no certificate');
      finish({
        offered, accepted: true, protocol: socket.getProtocol(), alpn: socket.alpnProtocol || null, error: null,
        chain: socket.authorized ? 'chains to the given CA' : `does not verify: ${String(socket.authorizationError)}`,
        name: nameError ? `does not name ${host}: ${nameError.message}` : `names ${host}`,
        subject: cert?.subject ? Object.entries(cert.subject).map(([k, v]) => `${k}=${String(v)}`).join(', ') : null,
        altNames: cert?.subjectaltname ?? null,
      });
    });
    socket.once('error', (e: NodeJS.ErrnoException) => { clearTimeout(timer); finish(failed(e.code ?? e.message)); });
  });
}
