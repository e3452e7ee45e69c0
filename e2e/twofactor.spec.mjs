// Two-factor sign-in, in English and in Arabic: a delegate (offered it, not
// required) sets it up from the account page (QR code and key as text,
// confirmed by a code), sees the recovery codes once, signs out, signs in
// with a code (a wrong one first: a clear error tied to the field), then
// with a recovery code. axe at desktop and phone widths on each new page.
// Runs against the spec's own server (BASE_URL). Screenshots: twofactor-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, env, LANGS, launchBrowser, newContext, submitWith, signIn, visit, checkPage, msg, freshCode,
} from './lib.mjs';

const USERS = { en: ['delegate-fra', () => env.delegatePassword], ar: ['delegate-deu', () => env.delegateDeuPassword] };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('two-factor sign-in', () => {
  for (const lang of LANGS) {
    test(`${lang}: set up, sign out, sign in with a code and with a recovery code`, { timeout: 120_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const [username, password] = USERS[lang];
  const context = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
  try {
    const page = await context.newPage();
    const origin = new URL(BASE_URL).origin;
    await signIn(page, lang, username, password());
    await visit(page, `${L}/account/two-factor`);
    await submitWith(page, page.locator('main form[action$="/account/two-factor/start"] button[type="submit"]'));
    assert.equal(await page.locator('main img.qr[src^="data:image/png;base64,"]').count(), 1, 'the key as a QR code');
    const secret = (await page.locator('main code.secret').innerText()).replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/, 'the key as text');
    await checkPage(t, page, { lang, label: 'set up two-factor sign-in', shot: `twofactor-${lang}-setup`, phone: true });

    const confirm = page.locator('main form[action$="/account/two-factor/confirm"]');
    await confirm.locator('input[name="code"]').fill(await freshCode(origin, username, secret));
    const confirmed = await submitWith(page, confirm.locator('button[type="submit"]'));
    assert.equal(confirmed.status(), 200, 'confirmed');
    const codes = await page.locator('main ol.codes code').allInnerTexts();
    assert.equal(codes.length, 10, 'ten recovery codes, shown once');
    await checkPage(t, page, { lang, label: 'recovery codes', shot: `twofactor-${lang}-codes`, phone: true });

    const signOut = async () => {
      const r = await submitWith(page, page.locator('header form[action$="/logout"] button[type="submit"]'));
      assert.equal(r.status(), 303, 'signed out');
    };
    const password1 = async () => {
      await visit(page, `${L}/login`);
      const form = page.locator('main form[action$="/login"]');
      await form.locator('input[name="username"]').fill(username);
      await form.locator('input[name="password"]').fill(password());
      const r = await submitWith(page, form.locator('button[type="submit"]'));
      assert.equal(r.status(), 303, 'the password step');
      assert.equal(new URL(page.url()).pathname, `${L}/login/code`, 'then the code');
    };
    const giveCode = async (code) => {
      const form = page.locator('main form[action$="/login/code"]');
      await form.locator('input[name="code"]').fill(code);
      return submitWith(page, form.locator('button[type="submit"]'));
    };

    await signOut();
    await password1();
    await checkPage(t, page, { lang, label: 'the code step', shot: `twofactor-${lang}-step`, phone: true });
    const wrong = await giveCode('000000');
    assert.equal(wrong.status(), 401, 'a wrong code is refused');
    assert.ok((await page.locator('main').innerText()).includes(msg(lang, 'error.bad_code')), 'and the page says so');
    assert.equal(await page.locator('main input[name="code"][aria-invalid="true"]').count(), 1, 'on the field');
    await checkPage(t, page, { lang, label: 'a wrong code', shot: `twofactor-${lang}-wrong` });
    const right = await giveCode(await freshCode(origin, username, secret));
    assert.equal(right.status(), 303, 'the right code signs in');
    assert.equal(await page.locator('header form[action$="/logout"]').count(), 1, 'signed in with a code');

    await signOut();
    await password1();
    const recovery = await giveCode(codes[0]);
    assert.equal(recovery.status(), 303, 'a recovery code signs in');
    await visit(page, `${L}/account/two-factor`);
    assert.ok((await page.locator('main').innerText()).includes(msg(lang, 'twofactor.on')), 'two-factor sign-in is on');
    assert.equal((await page.locator('main dl.facts dd').innerText()).trim(), '9', 'nine recovery codes left');
  } finally {
    await context.close();
  }
}
