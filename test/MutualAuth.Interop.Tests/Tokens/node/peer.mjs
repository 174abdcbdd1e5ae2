// An independent OAuth 2.0 client: npm oauth4webapi gets a DPoP-bound token with private_key_jwt from our
// authorization server (retrying on use_dpop_nonce) and calls our resource with it (retrying there too).
// Input (stdin, JSON): { issuer, clientId, kid, privateJwk, resource }. Output (stdout, JSON).
import * as oauth from 'oauth4webapi';

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
}));

const issuer = new URL(input.issuer);
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2' }));
const client = { client_id: input.clientId };
const key = await crypto.subtle.importKey('jwk', input.privateJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
const clientAuth = oauth.PrivateKeyJwt({ key, kid: input.kid });
const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));

let nonceRetries = 0;
async function withNonceRetry(call) {
  try {
    return await call();
  } catch (err) {
    if (oauth.isDPoPNonceError(err) && nonceRetries++ < 4) {
      return await call();
    }
    throw err;
  }
}

const token = await withNonceRetry(async () => {
  const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, new URLSearchParams({ scope: 'read' }), { DPoP });
  return oauth.processClientCredentialsResponse(as, client, response);
});

const resource = await withNonceRetry(() => oauth.protectedResourceRequest(token.access_token, 'GET', new URL(input.resource), new Headers(), null, { DPoP }));

process.stdout.write(JSON.stringify({
  tokenType: token.token_type,
  accessToken: token.access_token,
  status: resource.status,
  body: await resource.text(),
  nonceRetries,
}));
