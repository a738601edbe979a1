// Recorded TLS handshakes as the proxy checks see them.
import type { Handshake } from '../../src/probes/tls-probe.js';

export const hs = (o: Partial<Handshake>): Handshake => ({ offered: 'TLSv1.2..TLSv1.3', accepted: true, protocol: 'TLSv1.3', alpn: 'h2', error: null, chain: 'chains to the given CA', name: 'names localhost', subject: 'CN=localhost', altNames: 'DNS:localhost', ...o });
export const refused = (offered: string): Handshake => hs({ offered, accepted: false, protocol: null, alpn: null, error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', chain: null, name: null });
