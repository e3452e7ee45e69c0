// Passkeys, in English and in Arabic, with Chromium's virtual authenticator
// (CDP WebAuthn.addVirtualAuthenticator: a platform authenticator that keeps
// discoverable credentials and verifies its user). A delegate signs in with
// a password, adds a named passkey on the account's passkeys page, signs
// out, and signs in again with the passkey alone from the sign-in page.
//
// Browsers refuse passkeys on an IP address, so each language runs its own
// server on a copy of the template with --base-url http://localhost:PORT
// (the relying party is the base URL's host) and the browser visits
// localhost. Pages are checked with axe and for <html lang dir>, at desktop
// and phone width. Screenshots: output/screenshots/passkeys-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  LANGS, launchBrowser, newContext, submitWith, visit, checkPage, msg, workDir, copyTemplateDB, createUser, ConcordServer,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('passkeys', { concurrency: true }, () => {
  for (const lang of LANGS) {
    test(`${lang}: add a passkey, sign in with it`, { timeout: 120_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const shot = (step) => `passkeys-${lang}-${step}`;
  const db = copyTemplateDB(path.join(workDir(), `passkeys-${lang}`));
  const username = `pk-${lang}-${randomBytes(3).toString('hex')}`;
  const password = `pk-${randomBytes(12).toString('hex')}`;
  await createUser(db, { username, password, role: 'delegate', state: 'FRA' });
  const server = await ConcordServer.create({ name: `passkeys-${lang}`, db });
  const base = `http://localhost:${server.port}`;
  await server.start({ flags: ['--base-url', base] });
  const context = await newContext(browser, { baseURL: base });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
        isUserVerified: true, automaticPresenceSimulation: true },
    });

    // Password sign-in (a delegate: no second step).
    await visit(page, `${L}/login`);
    const form = page.locator('main form[action$="/login"]');
    await form.locator('input[name="username"]').fill(username);
    await form.locator('input[name="password"]').fill(password);
    assert.equal((await submitWith(page, form.locator('button[type="submit"]'))).status(), 303);

    // The passkeys page: none yet, the form shown (the browser has WebAuthn).
    await visit(page, `${L}/account/passkeys`);
    assert.ok((await page.locator('main').innerText()).includes(msg(lang, 'passkeys.none')));
    const add = page.locator('main form[data-passkey="create"]');
    assert.ok(await add.isVisible(), 'the add form is shown');
    await checkPage(t, page, { lang, label: 'passkeys page', shot: shot('empty'), phone: true });
    const name = lang === 'ar' ? 'حاسوب المكتب' : 'Office laptop';
    await add.locator('input[name="name"]').fill(name);
    await Promise.all([page.waitForURL(/saved=1/), add.locator('button[type="submit"]').click()]);
    assert.equal(await page.locator('main tbody tr').count(), 1, 'one passkey listed');
    assert.ok((await page.locator('main tbody').innerText()).includes(name));
    await checkPage(t, page, { lang, label: 'passkeys page, one added', shot: shot('added'), phone: true });

    // Signed out, then in with the passkey alone.
    await context.clearCookies();
    await visit(page, `${L}/login`);
    const pk = page.locator('main form[data-passkey="get"]');
    assert.ok(await pk.isVisible(), 'the sign-in page offers a passkey');
    await checkPage(t, page, { lang, label: 'sign-in page with a passkey', shot: shot('login'), phone: true });
    await Promise.all([page.waitForURL(new RegExp(`${L}/home`)), pk.locator('button[type="submit"]').click()]);
    assert.equal(await page.locator('header form[action$="/logout"]').count(), 1, 'signed in with the passkey');
    await visit(page, `${L}/account/passkeys`);
    assert.ok(!(await page.locator('main tbody').innerText()).includes(msg(lang, 'passkeys.never')), 'its last use is shown');
  } finally {
    await context.close();
    await server.stop();
  }
}
