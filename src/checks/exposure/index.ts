// The exposure checks, in the order they run. S2: what is published where, what answers in plaintext, CORS, and in proxy mode the proxy's TLS,
// authentication and that it cannot be bypassed.
import bindScope from './bind-scope.js';
import plaintext from './plaintext.js';
import cors from './cors.js';
import proxyTls from './proxy-tls.js';
import proxyAuth from './proxy-auth.js';
import proxyBypass from './proxy-bypass.js';

export const EXPOSURE = [bindScope, plaintext, cors, proxyTls, proxyAuth, proxyBypass] as const;
