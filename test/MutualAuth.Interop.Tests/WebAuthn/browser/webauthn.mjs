// Drives serve's WebAuthn page in Debian's headless Chromium with CDP virtual authenticators (playwright-core, no
// browser download). Input (JSON on stdin): { enrolUrl, loginUrl, screenshot } or { probeUrl }. Output (JSON on stdout): what the
// page's #result showed after each step (register, login, usernameless, withoutUv, beFlip). The browser trusts serve's CA through $HOME/.pki/nssdb, set up by the test.
import { chromium } from 'playwright-core';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const results = {};
try {
  if (input.probeUrl) {
    // Only load the page: shows whether the browser trusts serve's certificate with this $HOME.
    const page = await browser.newPage();
    results.probe = await page.goto(input.probeUrl).then(() => 'loaded', (error) => error.message.split('\n')[0]);
    process.stdout.write(JSON.stringify(results));
    process.exit(0);
  }

  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const authenticator = async (hasUserVerification) => (await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification,
      isUserVerified: hasUserVerification, automaticPresenceSimulation: true,
    },
  })).authenticatorId;

  // Waits until #result shows the outcome of the click (its text changes).
  const step = async (button) => {
    await page.evaluate(() => { document.getElementById('result').textContent = ''; });
    await page.click(button);
    await page.waitForFunction(() => document.getElementById('result').textContent.length > 0, null, { timeout: 20000 });
    return { ok: await page.getAttribute('#result', 'class') === 'ok', text: await page.textContent('#result') };
  };

  const withUv = await authenticator(true);
  await page.goto(input.enrolUrl); // fails on a certificate error: the CA must really be trusted
  results.register = await step('#register');
  results.login = await step('#login');
  await page.screenshot({ path: input.screenshot });
  results.webauthnRoute = await page.evaluate(async () => (await fetch('/whoami')).status);

  // Without a user name: the options allow any credential, the authenticator offers its discoverable passkey and its
  // user handle names alice.
  await page.evaluate(() => fetch('api/logout', { method: 'POST' }));
  await page.goto(input.loginUrl);
  results.usernameless = await step('#login');

  // UV=0: the same credential in an authenticator without user verification; the page asks "preferred" (?uv=), so
  // the browser lets UV=0 through and the server's policy has to refuse it.
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: withUv });
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: withUv, enabled: false });
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: withUv });
  const withoutUv = await authenticator(false);
  await cdp.send('WebAuthn.addCredential', { authenticatorId: withoutUv, credential: credentials[0] });
  await page.evaluate(() => fetch('api/logout', { method: 'POST' }));
  await page.goto(input.loginUrl + '?uv=preferred');
  await page.fill('#username', 'alice');
  results.withoutUv = await step('#login');

  // BE flip: the credential back in a UV authenticator, now claiming to be backup eligible.
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: withoutUv });
  const flipped = await authenticator(true);
  const current = credentials[0];
  await cdp.send('WebAuthn.addCredential', { authenticatorId: flipped, credential: { ...current, signCount: current.signCount + 10 } });
  await cdp.send('WebAuthn.setCredentialProperties', { authenticatorId: flipped, credentialId: current.credentialId, backupEligibility: true, backupState: false });
  await page.goto(input.loginUrl);
  await page.fill('#username', 'alice');
  results.beFlip = await step('#login');
} finally {
  await browser.close();
}

process.stdout.write(JSON.stringify(results));
