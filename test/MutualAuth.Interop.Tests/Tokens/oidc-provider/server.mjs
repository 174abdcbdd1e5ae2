// A foreign OAuth 2.0 authorization server for the interop tests: npm oidc-provider (certified FAPI 2.0) over HTTPS
// with a server certificate from the test CA. client_credentials with private_key_jwt, DPoP with server nonces, and
// RFC 9068 JWT access tokens for one resource (resource indicators). Input on stdin as JSON:
// { port, issuer, certFile, keyFile, clientId, clientJwk, resource }. Prints {"listening": PORT} when ready.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const input = JSON.parse(readFileSync(0, 'utf8'));
const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

const provider = new Provider(input.issuer, {
  clients: [{
    client_id: input.clientId,
    token_endpoint_auth_method: 'private_key_jwt',
    grant_types: ['client_credentials'],
    response_types: [],
    // The provider holds only an ES256 key, so nothing may default to RS256.
    id_token_signed_response_alg: 'ES256',
    redirect_uris: [],
    jwks: { keys: [input.clientJwk] },
  }],
  jwks: { keys: [{ ...signing, kid: 'idp-1', use: 'sig', alg: 'ES256' }] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => input.resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: '',
        audience: input.resource,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});

const server = createServer({ cert: readFileSync(input.certFile), key: readFileSync(input.keyFile) }, provider.callback());
server.listen(input.port, '127.0.0.1', () => console.log(JSON.stringify({ listening: input.port })));
process.stdin.on('end', () => {});
