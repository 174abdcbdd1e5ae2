// MutualAuth passkey login: plain browser WebAuthn (JSON helpers of WebAuthn Level 3), no libraries, works offline.
'use strict';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

function show(text, ok) {
  $('result').textContent = text;
  $('result').className = ok ? 'ok' : 'error';
}

async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.error || `The server answered ${response.status}.`);
  }
  return answer;
}

// Registration needs an authentication (the operator's route for register/options) or an enrolment link (?invite=…).
async function register() {
  const invite = params.get('invite');
  const start = invite ? await post('api/enrol/options', { invite }) : await post('register/options', {});
  const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(start.publicKey) });
  const done = await post('api/register', { challengeId: start.challengeId, credential: credential.toJSON() });
  if (invite) {
    history.replaceState(null, '', location.pathname); // the invitation is used up
  }
  $('username').value = done.user;
  show(`Passkey registered for ${done.user}. You can log in now.`, true);
}

async function login() {
  // An empty user name logs in with a discoverable passkey: the authenticator offers the ones it holds for this site.
  const userName = $('username').value.trim() || undefined;
  // ?uv=preferred asks the authenticator less; the server still applies its own user verification policy.
  const start = await post('api/login/options', { userName, userVerification: params.get('uv') || undefined });
  const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(start.publicKey) });
  await post('api/login', { challengeId: start.challengeId, credential: credential.toJSON() });
  const whoami = await fetch('/whoami', { credentials: 'same-origin' });
  const text = await whoami.text();
  show(whoami.ok ? JSON.stringify(JSON.parse(text), null, 2) : `Logged in, but /whoami answered ${whoami.status}: ${text}`, whoami.ok);
}

function guard(action) {
  return () => action().catch((error) => show(`${error.name === 'Error' ? '' : error.name + ': '}${error.message}`, false));
}

$('register').addEventListener('click', guard(register));
$('login').addEventListener('click', guard(login));
if (!window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) {
  show('This browser does not support passkeys (WebAuthn Level 3 JSON).', false);
}
