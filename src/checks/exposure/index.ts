// The exposure checks, in the order they run. S2: what is published where, what answers in plaintext, CORS, the
// administrative endpoints; E2/E3: the API key and image URLs of the generative endpoints; in proxy mode the proxy's TLS,
// authentication and that it cannot be bypassed.
import bindScope from './bind-scope.js';
import plaintext from './plaintext.js';
import cors from './cors.js';
import proxyTls from './proxy-tls.js';
import proxyAuth from './proxy-auth.js';
import proxyBypass from './proxy-bypass.js';
import apiKey from './api-key.js';
import mediaUrls from './media-urls.js';
import adminEndpoints from './admin-endpoints.js';

export const EXPOSURE = [bindScope, plaintext, cors, adminEndpoints, apiKey, mediaUrls, proxyTls, proxyAuth, proxyBypass] as const;
