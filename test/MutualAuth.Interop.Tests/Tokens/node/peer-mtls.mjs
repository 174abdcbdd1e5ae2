// oauth4webapi over mutual TLS: tls_client_auth at our token endpoint gives a certificate-bound token (RFC 8705
// cnf.x5t#S256), used at our resource over the same certificate, then over another certificate (which must fail).
// Node's fetch cannot present a client certificate, so requests go through node:https (oauth4webapi's customFetch).
// Input (stdin, JSON): { issuer, clientId, resource, caFile, certFile, keyFile, otherCertFile, otherKeyFile }.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import * as oauth from 'oauth4webapi';

const input = JSON.parse(readFileSync(0, 'utf8'));
const ca = readFileSync(input.caFile);

function fetchWith(certFile, keyFile) {
  const cert = readFileSync(certFile);
  const key = readFileSync(keyFile);
  return (url, options) => new Promise((resolve, reject) => {
    const headers = Object.fromEntries(new Headers(options.headers).entries());
    const req = request(url, { method: options.method, headers, ca, cert, key }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of [].concat(value)) responseHeaders.append(name, v);
        }
        const response = new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode, headers: responseHeaders });
        Object.defineProperty(response, 'url', { value: url });
        resolve(response);
      });
    });
    req.on('error', reject);
    if (options.body) req.write(options.body.toString());
    req.end();
  });
}

const own = fetchWith(input.certFile, input.keyFile);
const other = fetchWith(input.otherCertFile, input.otherKeyFile);
const issuer = new URL(input.issuer);
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.customFetch]: own }));
const client = { client_id: input.clientId };

const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.TlsClientAuth(), new URLSearchParams({ scope: 'read' }), { [oauth.customFetch]: own });
const token = await oauth.processClientCredentialsResponse(as, client, response);
const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1], 'base64url').toString());

const resource = await oauth.protectedResourceRequest(token.access_token, 'GET', new URL(input.resource), new Headers(), null, { [oauth.customFetch]: own });
// oauth4webapi throws on a 401 with a WWW-Authenticate challenge: the status is on the error.
const otherStatus = await oauth.protectedResourceRequest(token.access_token, 'GET', new URL(input.resource), new Headers(), null, { [oauth.customFetch]: other })
  .then((r) => r.status, (err) => err.status ?? err.response?.status ?? 0);

process.stdout.write(JSON.stringify({
  tokenType: token.token_type,
  cnf: claims.cnf ?? null,
  status: resource.status,
  body: await resource.text(),
  otherStatus,
}));
