// A State's delegation, in English and in Arabic: the Secretariat appoints
// France's delegate as delegation manager on the delegation page; the
// manager invites a delegate, who follows the emailed link (read from the
// mail directory, --mail-dir) and chooses a password; the manager removes
// them, and is refused Germany's page. Every page is checked with axe and
// for <html lang dir>, the delegation page at phone width too.
// Screenshots: output/screenshots/delegations-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  LANGS, launchBrowser, newContext, submitWith, signIn, visit, checkPage, workDir, copyTemplateDB, freshCode,
  ConcordServer, trackDocuments, env, decodeQP,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// waitForLink polls the mail directory for a message to `to` holding a
// link to linkPath, and returns that link.
async function waitForLink(dir, to, linkPath) {
  const re = new RegExp(`(https?://[^\\s"<>]+${linkPath.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9]+)`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()) {
      const text = decodeQP(readFileSync(path.join(dir, f), 'latin1'));
      const m = text.match(re);
      if (m && text.includes(`<${to}>`)) return m[1];
    }
    assert.ok(Date.now() < deadline, `no mail to ${to} with a link to ${linkPath} within 30 s`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

describe('delegations', { concurrency: true }, () => {
  for (const lang of LANGS) {
    test(`${lang}: appoint a manager, invite a delegate by email, remove them`, { timeout: 420_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const shot = (step) => `delegations-${lang}-${step}`;
  const dir = path.join(workDir(), `delegations-${lang}`);
  const mailDir = path.join(dir, 'mail');
  mkdirSync(mailDir, { recursive: true });
  const db = copyTemplateDB(dir);
  const server = await ConcordServer.create({ name: `delegations-${lang}`, db });
  await server.start({ flags: ['--mail-dir', mailDir, '--base-url', server.baseURL] });
  const contexts = [];
  const newPage = async () => {
    const c = await newContext(browser, { baseURL: server.baseURL });
    contexts.push(c);
    return trackDocuments(await c.newPage());
  };
  try {
    // 1. The Secretariat appoints France's delegate manager.
    const admin = await newPage();
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, `${L}/delegations/FRA`);
    await checkPage(t, admin, { lang, label: 'delegation as the Secretariat', shot: shot('01-secretariat'), phone: true });
    const appoint = admin.locator(`main form[action$="${L}/delegations/FRA/managers"]`);
    await appoint.locator('select[name="username"]').selectOption('delegate-fra');
    let resp = await submitWith(admin, appoint.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'appointed');

    // 2. The manager invites a delegate, reading only by default.
    const mgr = await newPage();
    await signIn(mgr, lang, 'delegate-fra', env.delegatePassword);
    // A delegation manager must sign in with a second factor: the first
    // page after the appointment is setting it up (key shown as text,
    // confirmed with a code of it).
    assert.equal(new URL(mgr.url()).pathname, `${L}/account/two-factor`, 'sent to set up two-factor sign-in');
    await submitWith(mgr, mgr.locator('main form[action$="/account/two-factor/start"] button[type="submit"]'));
    const secret = (await mgr.locator('main code.secret').innerText()).replace(/\s+/g, '');
    const confirm = mgr.locator('main form[action$="/account/two-factor/confirm"]');
    await confirm.locator('input[name="code"]').fill(await freshCode(new URL(mgr.url()).origin, 'delegate-fra', secret));
    assert.equal((await submitWith(mgr, confirm.locator('button[type="submit"]'))).status(), 200, 'two-factor sign-in set up');
    await visit(mgr, `${L}/delegations/FRA`);
    const username = `claire-${lang}`;
    const email = `${username}@fra.test`;
    const invite = mgr.locator(`main form[action$="${L}/delegations/FRA/invitations"]`);
    await invite.locator('input[name="username"]').fill(username);
    await invite.locator('input[name="name"]').fill(lang === 'ar' ? 'كلير مارتن' : 'Claire Martin');
    await invite.locator('input[name="email"]').fill(email);
    resp = await submitWith(mgr, invite.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'invited');
    await checkPage(t, mgr, { lang, label: 'delegation as its manager', shot: shot('02-manager'), phone: true });

    // 3. The emailed link: the delegate chooses a password and signs in.
    const link = await waitForLink(mailDir, email, `${L}/password/reset`);
    const guest = await newPage();
    await visit(guest, link);
    const password = `fra ${randomBytes(9).toString('base64url')} pass`;
    await guest.locator('main input[name="password"]').fill(password);
    resp = await submitWith(guest, guest.locator(`main form[action$="${L}/password/reset"] button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the password is set');
    await signIn(guest, lang, username, password);
    await visit(guest, `${L}/delegations/FRA`, 403);

    // 4. The manager removes them; another State's page is refused.
    await visit(mgr, `${L}/delegations/FRA`);
    const row = mgr.locator('main tbody tr', { hasText: username });
    resp = await submitWith(mgr, row.locator('form[action$="/remove"] button[type="submit"]'));
    assert.equal(resp.status(), 303, 'removed');
    await checkPage(t, mgr, { lang, label: 'after the removal', shot: shot('03-removed') });
    await visit(guest, `${L}/home`, 200).catch(() => {});
    assert.equal(await guest.locator('header form[action$="/logout"]').count(), 0, 'the removed delegate is signed out');
    await visit(mgr, `${L}/delegations/DEU`, 403);
  } finally {
    for (const c of contexts) await c.close();
    await server.stop();
  }
}
