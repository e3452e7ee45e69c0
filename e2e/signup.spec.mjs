// An organisation signs up by itself, in English and in Arabic: the public
// sign-up form (checked at phone width too), the verification link read
// from the mail directory (--mail-dir), the address verified, applying
// refused while the Secretariat has not verified the organisation, the
// Secretariat's queue with the evidence, verification, and then the focal
// point opens the application form. Every page is checked with axe, for
// <html lang dir> and for HTML validity. Screenshots: output/screenshots/signup-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  LANGS, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, workDir, copyTemplateDB,
  ConcordServer, trackDocuments, validateSavedHTML, api, apiToken, env,
  decodeQP,
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

const NAMES = { en: 'Open Networks Forum', ar: 'منتدى الشبكات المفتوحة' };
const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('organisations sign up', { concurrency: true }, () => {
  for (const lang of LANGS) {
    test(`${lang}: sign up, verify the address, verified by the Secretariat, apply`, { timeout: 180_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const shot = (step) => `signup-${lang}-${step}`;
  const dir = path.join(workDir(), `signup-${lang}`);
  const mailDir = path.join(dir, 'mail');
  mkdirSync(mailDir, { recursive: true });
  const db = copyTemplateDB(dir);
  const username = `onf-${lang}`;
  const email = `${username}@opennetworks.test`;
  const password = `sign ${randomBytes(9).toString('base64url')} up`;
  const server = await ConcordServer.create({ name: `signup-${lang}`, db });
  await server.start({ flags: ['--mail-dir', mailDir, '--base-url', server.baseURL] });
  const contexts = [];
  const newPage = async () => {
    const c = await newContext(browser, { baseURL: server.baseURL });
    contexts.push(c);
    return trackDocuments(await c.newPage());
  };
  const saved = [];
  try {
    // A window the organisation will apply in: one of the demo's that takes
    // applications, or else one the Secretariat opens through the API.
    const adminToken = await apiToken(server.baseURL, 'admin', env.adminPassword);
    const list = await api(server.baseURL, 'GET', '/accreditation/windows?limit=200', { token: adminToken });
    assert.equal(list.status, 200, `GET /api/v1/accreditation/windows: ${list.text}`);
    let w = { json: list.json.items.find((x) => x.phase === 'open' || x.phase === 'scheduled') };
    if (!w.json) {
      w = await api(server.baseURL, 'POST', '/accreditation/windows', { token: adminToken,
        body: { scope: 'plenary', opens_date: day(700), closes_date: day(720) } });
      assert.equal(w.status, 201, `POST /api/v1/accreditation/windows: ${w.text}`);
    }

    // 1. The sign-up form, from the sign-in page.
    const page = await newPage();
    await visit(page, `${L}/login`);
    await page.locator(`main a[href="${L}/signup"]`).click();
    await page.waitForURL(`**${L}/signup`);
    await checkPage(t, page, { html: saved, lang, label: 'sign-up form', shot: shot('01-form'), phone: true });
    const form = page.locator(`main form[action$="${L}/signup"]`);
    await form.locator(`input[name="name_${lang}"]`).fill(NAMES[lang]);
    await form.locator('select[name="type"]').selectOption('ngo');
    await form.locator('select[name="country"]').selectOption('KEN');
    await form.locator('input[name="website"]').fill(`https://${lang}.opennetworks.test`);
    await form.locator('input[name="ecosoc_id"]').fill('ON-77');
    await form.locator('input[name="name"]').fill('Wanjiru Kamau');
    await form.locator('input[name="username"]').fill(username);
    await form.locator('input[name="email"]').fill(email);
    // A weak password first: every problem at once, the input kept.
    await form.locator('input[name="password"]').fill('qwerty123456');
    let resp = await submitWith(page, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a common password is refused');
    assert.equal(await page.locator('main input[name="username"]').inputValue(), username, 'the input is kept');
    await checkPage(t, page, { html: saved, lang, label: 'sign-up refused', shot: shot('02-refused'), phone: true });
    await page.locator('main input[name="password"]').fill(password);
    resp = await submitWith(page, page.locator(`main form[action$="${L}/signup"] button[type="submit"]`));
    assert.equal(resp.status(), 201, 'signed up');
    assert.ok((await mainText(page)).includes(email), 'the page names the address the link went to');
    await checkPage(t, page, { html: saved, lang, label: 'signed up', shot: shot('03-done') });

    // 2. The verification link.
    const link = await waitForLink(mailDir, email, `${L}/account/email/verify`);
    await visit(page, link);
    await submitWith(page, page.locator(`main form[action$="${L}/account/email/verify"] button[type="submit"]`));
    assert.match(await mainText(page), new RegExp(email.replace(/[.]/g, '\\.')), 'the address is verified');

    // 3. Applying waits for the Secretariat.
    await signIn(page, lang, username, password);
    await visit(page, `${L}/accreditation`);
    const apply = page.locator(`main form[action$="/accreditation/applications"]:has(input[name="window"][value="${w.json.id}"]) button[type="submit"]`);
    assert.equal(await apply.count(), 1, 'an Apply button for the window');
    resp = await submitWith(page, apply);
    assert.equal(resp.status(), 409, 'applying before the Secretariat verified the organisation is refused');
    assert.ok((await mainText(page)).includes(msg(lang, 'error.signup_unverified')), 'the page says why');
    await checkPage(t, page, { html: saved, lang, label: 'apply refused', shot: shot('04-wait') });

    // 4. The Secretariat's queue: the evidence, then verification.
    const admin = await newPage();
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, `${L}/admin/signups`);
    const card = admin.locator('main section.card', { hasText: NAMES[lang] });
    assert.equal(await card.count(), 1, 'the organisation is in the queue');
    assert.ok((await card.innerText()).includes('ON-77'), 'with the ECOSOC identifier it claims');
    await checkPage(t, admin, { html: saved, lang, label: 'verification queue', shot: shot('05-queue'), phone: true });
    resp = await submitWith(admin, card.locator('form[action$="/verify"] button[type="submit"]'));
    assert.equal(resp.status(), 303, 'verified');
    await checkPage(t, admin, { html: saved, lang, label: 'queue after verification', shot: shot('06-verified') });

    // 5. The focal point is told, and opens the application form.
    await visit(page, `${L}/inbox`);
    assert.ok((await mainText(page)).includes(msg(lang, 'notice.signup_verified')), 'the inbox tells the focal point');
    await visit(page, `${L}/accreditation`);
    resp = await submitWith(page, apply);
    assert.equal(resp.status(), 303, 'the application is started');
    assert.match(new URL(page.url()).pathname, new RegExp(`^${L}/accreditation/applications/\\d+$`));
    await checkPage(t, page, { html: saved, lang, label: 'application form', shot: shot('07-application'), phone: true });
    await validateSavedHTML(t, saved);
  } finally {
    for (const c of contexts) await c.close();
    await server.stop();
  }
}
