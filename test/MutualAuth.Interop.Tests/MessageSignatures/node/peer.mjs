// Signs or verifies one HTTP message with the npm package http-message-signatures, as an independent RFC 9421 peer.
// Input (stdin, JSON): { op: "sign" | "verify", alg, keyid, secret?: base64, privateKey?: PEM, publicKey?: PEM,
//   message: { method, url, headers } | { status, headers }, request?: { method, url, headers },
//   label?, fields?: [...], params?: { created, expires, nonce, tag } (created/expires in Unix seconds),
//   pssSaltLength?: number (rsa-pss-sha512 only: the package signs with the largest salt unless given; RFC 9421 §3.3.1 says 64),
//   responseKeyOf?: keyid (hmac-sha256 only: use MutualAuth's response key derived from the secret instead of the secret,
//   computed here with node:crypto as HKDF-Expand for 32 bytes, RFC 5869 §2.3: HMAC-SHA256(secret, info || 0x01),
//   info = "mutualauth response signature v1" || 0x00 || keyid) }
// Output (stdout, JSON): sign → { headers } with Signature and Signature-Input added; verify → { verified: bool, error? }.
import { httpbis, createSigner, createVerifier } from 'http-message-signatures';
import { constants, createHmac, createPrivateKey, createPublicKey, createSign } from 'node:crypto';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const responseKey = (secret, keyid) => createHmac('sha256', secret)
  .update(Buffer.concat([Buffer.from('mutualauth response signature v1', 'ascii'), Buffer.from([0]), Buffer.from(keyid, 'utf8'), Buffer.from([1])]))
  .digest();

const material = input.secret !== undefined
  ? (input.responseKeyOf !== undefined ? responseKey(Buffer.from(input.secret, 'base64'), input.responseKeyOf) : Buffer.from(input.secret, 'base64'))
  : input.privateKey !== undefined ? createPrivateKey(input.privateKey)
  : createPublicKey(input.publicKey);

if (input.op === 'sign') {
  const paramValues = {};
  const params = ['keyid', 'alg'];
  for (const [name, value] of Object.entries(input.params ?? {})) {
    params.push(name);
    paramValues[name] = name === 'created' || name === 'expires' ? new Date(value * 1000) : value;
  }
  const key = input.pssSaltLength === undefined ? createSigner(material, input.alg, input.keyid) : {
    id: input.keyid,
    alg: input.alg,
    sign: async (data) => createSign('sha512').update(data).sign({ key: material, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: input.pssSaltLength }),
  };
  const signed = await httpbis.signMessage({
    key,
    name: input.label ?? 'sig1',
    fields: input.fields ?? [],
    params,
    paramValues,
  }, input.message, input.request);
  process.stdout.write(JSON.stringify({ headers: signed.headers }));
} else {
  try {
    const verified = await httpbis.verifyMessage({
      async keyLookup(parameters) {
        return parameters.keyid === input.keyid ? { id: input.keyid, algs: [input.alg], verify: createVerifier(material, input.alg) } : null;
      },
      tolerance: 300,
    }, input.message, input.request);
    process.stdout.write(JSON.stringify({ verified: verified === true }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ verified: false, error: String(error?.message ?? error) }));
  }
}
