// Accounts by email, in English and in Arabic: an account created from the
// command line with an address verifies it through the emailed link, then
// forgets its password: "Forgot your password?" on the sign-in page, the
// same answer for an address nobody has, the emailed link, a common
// password refused, a new one set, the link refused the second time, and
// the new password signs in.
//
// Mail: each language runs its own server with --mail-dir, which writes
// every outgoing message as an .eml file into a directory of this run
// instead of sending it (a test-only flag; nothing is exposed over HTTP).
// The spec reads the links from those files. Every page is checked with axe
// and for <html lang dir> and HTML validity, the forms at phone width too. Screenshots:
// output/screenshots/accounts-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  LANGS, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, workDir, copyTemplateDB,
  concordCLI, ConcordServer, trackDocuments, validateSavedHTML,
  decodeQP,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });


// waitForLink polls the mail directory (the outbox sends every 2 s) for a
// message to `to` holding a link to linkPath, and returns that link.
async function waitForLink(dir, to, linkPath, seen) {
  const re = new RegExp(`(https?://[^\\s"<>]+${linkPath.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9]+)`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()) {
      if (seen.has(f)) continue;
      const text = decodeQP(readFileSync(path.join(dir, f), 'latin1'));
      const m = text.match(re);
      if (m && text.includes(`<${to}>`)) {
        seen.add(f);
        return m[1];
      }
    }
    assert.ok(Date.now() < deadline, `no mail to ${to} with a link to ${linkPath} within 30 s`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

describe('accounts by email', { concurrency: true }, () => {
  for (const lang of LANGS) {
    test(`${lang}: verify an address, forgotten password, reset link once`, { timeout: 180_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const shot = (step) => `accounts-${lang}-${step}`;
  const dir = path.join(workDir(), `accounts-${lang}`);
  const mailDir = path.join(dir, 'mail');
  mkdirSync(mailDir, { recursive: true });
  const db = copyTemplateDB(dir);
  const username = `reset-${lang}`;
  const email = `${username}@mission.test`;
  const oldPW = `old ${randomBytes(9).toString('base64url')} password`;
  const newPW = `new ${randomBytes(9).toString('base64url')} password`;
  const server = await ConcordServer.create({ name: `accounts-${lang}`, db });
  const r = await concordCLI(['user', 'create', '-username', username, '-role', 'delegate', '-state', 'SEN', '-email', email,
    '-lang', lang, '--database', db, '--base-url', server.baseURL], oldPW + '\n');
  assert.equal(r.code, 0, `concord user create: ${r.out}`);

  await server.start({ flags: ['--mail-dir', mailDir, '--base-url', server.baseURL] });
  const seen = new Set();
  const context = await newContext(browser, { baseURL: server.baseURL });
  const page = trackDocuments(await context.newPage());
  const saved = []; // pages for the HTML validator
  try {
    // The verification link from the account's creation.
    const verify = await waitForLink(mailDir, email, `${L}/account/email/verify`, seen);
    await visit(page, verify);
    await checkPage(t, page, { html: saved, lang, label: 'verify address', shot: shot('01-verify') });
    await submitWith(page, page.locator(`main form[action$="${L}/account/email/verify"] button[type="submit"]`));
    assert.match(await mainText(page), new RegExp(email.replace(/[.]/g, '\\.')), 'the page says the address is verified');

    // Forgotten password, from the sign-in page.
    await visit(page, `${L}/login`);
    await page.locator(`main a[href="${L}/password/forgot"]`).click();
    await page.waitForURL(`**${L}/password/forgot`);
    await checkPage(t, page, { html: saved, lang, label: 'forgot password', shot: shot('02-forgot'), phone: true });
    const ask = async (address) => {
      await page.locator('main input[name="email"]').fill(address);
      const resp = await submitWith(page, page.locator(`main form[action$="${L}/password/forgot"] button[type="submit"]`));
      assert.equal(resp.status(), 200, `POST forgot for ${address}`);
      return (await page.locator('main [role="status"]').innerText()).trim();
    };
    const unknownAnswer = await ask(`nobody-${lang}@mission.test`);
    const knownAnswer = await ask(email);
    assert.equal(knownAnswer, unknownAnswer, 'the same answer whether or not an account has the address');
    assert.equal(knownAnswer, msg(lang, 'reset.sent'));
    await checkPage(t, page, { html: saved, lang, label: 'link sent', shot: shot('03-sent') });

    // The emailed link: a common password refused, then a good one.
    const link = await waitForLink(mailDir, email, `${L}/password/reset`, seen);
    await visit(page, link);
    await checkPage(t, page, { html: saved, lang, label: 'new password', shot: shot('04-reset'), phone: true });
    const form = page.locator(`main form[action$="${L}/password/reset"]`);
    await form.locator('input[name="password"]').fill('qwerty123456');
    let resp = await submitWith(page, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a common password is refused');
    await checkPage(t, page, { html: saved, lang, label: 'common password refused', shot: shot('05-refused') });
    await page.locator(`main form[action$="${L}/password/reset"] input[name="password"]`).fill(newPW);
    resp = await submitWith(page, page.locator(`main form[action$="${L}/password/reset"] button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the new password is set');
    assert.match(page.url(), new RegExp(`${L}/login\\?reset=1$`));
    assert.equal((await page.locator('main [role="status"]').innerText()).trim(), msg(lang, 'reset.done'));
    await checkPage(t, page, { html: saved, lang, label: 'sign in after reset', shot: shot('06-signin') });

    // The link works once.
    await visit(page, link, 422);
    await checkPage(t, page, { html: saved, lang, label: 'used link', shot: shot('07-used') });

    // The new password signs in.
    await signIn(page, lang, username, newPW);
    await visit(page, `${L}/account/email`);
    await checkPage(t, page, { html: saved, lang, label: 'email and notices', shot: shot('08-email'), phone: true });
    await validateSavedHTML(t, saved);
  } finally {
    await context.close();
    await server.stop();
  }
}
