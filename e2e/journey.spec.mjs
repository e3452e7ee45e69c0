// The whole of issue 11's "Done when", from the outside, in English and in
// Arabic (one server and one database copy each, side by side): an
// organisation signs up and verifies its address (the link read from the
// mail directory, --mail-dir), the Secretariat verifies it, its focal point
// invites a colleague who accepts, and applies; the Secretariat appoints
// France's delegation manager, who sets up two-factor sign-in and invites a
// delegate who accepts. The server is then restarted with its clock moved
// (--clock-offset): past the window's close the Secretariat circulates;
// less than a day before the objection deadline the scheduler's reminder
// reaches the delegate (inbox and email), who objects; past the deadline
// the organisation is told the outcome (inbox and email). One width per
// language, to stay under a minute: English at desktop width, Arabic on a
// phone (390 px, every step, no page wider than the screen). The main
// pages are checked with axe, for <html lang dir> and for HTML validity.
// Screenshots: output/screenshots/journey-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  LANGS, VIEWPORTS, DIRS, launchBrowser, newContext, submitWith, confirmWith, formTo, signIn, visit, mainText, msg, workDir,
  copyTemplateDB, freshCode, localDate, api, apiToken, ConcordServer, trackDocuments, validateSavedHTML, env, decodeQP,
  saveHTML, openAllDetails, screenshot, assertLangDir, assertNoAxeViolations,
} from './lib.mjs';

const TZ = 'America/New_York'; // the Global Mechanism's time zone (process setting)
const DAY = 24 * 3600 * 1000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const NAMES = { en: 'Journey Cyber Commons', ar: 'مشاع الرحلة السيبراني' };
const TEXT = {
  en: { purpose: 'We train incident responders in West Africa.', basis: 'Its activities are outside the mandate.' },
  ar: { purpose: 'ندرب فرق الاستجابة للحوادث في غرب أفريقيا.', basis: 'أنشطتها خارج نطاق الولاية.' },
};

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// mails lists the messages in the mail directory to `to`, decoded.
function mails(dir, to) {
  return readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()
    .map((f) => decodeQP(readFileSync(path.join(dir, f), 'latin1')))
    .filter((text) => text.includes(`<${to}>`));
}

// waitForMail polls the mail directory for a message to `to` whose text
// matches re, and returns the match.
async function waitForMail(dir, to, re, what) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const text of mails(dir, to)) {
      const m = text.match(re);
      if (m) return m;
    }
    assert.ok(Date.now() < deadline, `no mail to ${to} with ${what} within 30 s`);
    await new Promise((res) => setTimeout(res, 200));
  }
}
const linkTo = (linkPath) => new RegExp(`(https?://[^\\s"<>]+${linkPath.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9]+)`);

describe('the whole flow from the outside (issue 11)', { concurrency: true }, () => {
  for (const lang of LANGS) {
    test(`${lang}: sign-up, verification, colleague, application, circulation, delegation, reminder, objection, outcome`,
      { timeout: 300_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  let shotN = 0;
  const shot = (step) => `journey-${lang}-${String(++shotN).padStart(2, '0')}-${step}`;
  const dir = path.join(workDir(), `journey-${lang}`);
  const mailDir = path.join(dir, 'mail');
  mkdirSync(mailDir, { recursive: true });
  const db = copyTemplateDB(dir);
  const server = await ConcordServer.create({ name: `journey-${lang}`, db });
  const flags = ['--mail-dir', mailDir, '--base-url', server.baseURL];
  await server.start({ flags });
  const base = server.baseURL;
  const contexts = [];
  // One width per language keeps the journey under a minute: English at
  // desktop width, Arabic on a phone (390 px) from start to end.
  const viewport = lang === 'ar' ? VIEWPORTS.phone : VIEWPORTS.desktop;
  const newPage = async () => {
    const c = await newContext(browser, { baseURL: base, locale: lang === 'ar' ? 'ar' : 'en-US', viewport });
    contexts.push(c);
    return trackDocuments(await c.newPage());
  };
  const saved = [];
  // check: the page's HTML kept for vnu, a screenshot, <html lang dir>,
  // axe, and on the phone no page wider than the screen.
  const check = async (page, label, step) => {
    const name = shot(step);
    await saveHTML(page, name, saved);
    await openAllDetails(page);
    await screenshot(page, `${name}-${viewport.width}`);
    const where = `${label} (${new URL(page.url()).pathname}) @${viewport.width}px`;
    await t.test(`${label}: <html lang="${lang}" dir="${DIRS[lang]}">`, () => assertLangDir(page, lang));
    await t.test(`${label}: axe at ${viewport.width}px`, () => assertNoAxeViolations(page, where));
    if (viewport === VIEWPORTS.phone) {
      await t.test(`${label}: no wider than ${viewport.width}px`, async () => {
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `${where} is ${over}px too wide`);
      });
    }
  };
  const pw = (w) => `${w} ${randomBytes(9).toString('base64url')} pass`;
  // usedLink opens a link already used: the page says so at once, or when
  // its form is sent (with password, for a password form).
  const usedLink = async (page, link, action, password) => {
    const r = await page.goto(link);
    const button = page.locator(`main form[action$="${action}"] button[type="submit"]`);
    if (r.status() === 200 && await button.count()) {
      if (password) await page.locator('main input[name="password"]').fill(password);
      const post = await submitWith(page, button);
      assert.ok(post.status() >= 400, `a used link is refused (answered ${post.status()})`);
    }
    assert.ok((await mainText(page)).includes(msg(lang, 'error.link_invalid')), `the page says the link was used (${link})`);
  };
  try {
    // The round the organisation applies in: the Secretariat opens it
    // through the API, today (New York) to tomorrow 18:00.
    const today = localDate(Date.now(), TZ);
    const tomorrow = localDate(Date.parse(`${today}T12:00:00Z`) + DAY, TZ);
    const adminToken = await apiToken(base, 'admin', env.adminPassword);
    const w = await api(base, 'POST', '/accreditation/windows', { token: adminToken,
      body: { scope: 'review_conference', cycle: Number(tomorrow.slice(0, 4)), opens_date: today, opens_time: '00:00', closes_date: tomorrow, closes_time: '18:00' } });
    assert.equal(w.status, 201, `POST /api/v1/accreditation/windows: ${w.text}`);
    const wid = w.json.id;
    const winURL = `${L}/accreditation/windows/${encodeURIComponent(wid)}`;

    // 1. The organisation signs up from the sign-in page.
    const focal = await newPage();
    const focalUser = `jcc-${lang}`;
    const focalEmail = `${focalUser}@journey.test`;
    const focalPw = pw('focal');
    await visit(focal, `${L}/login`);
    await focal.locator(`main a[href="${L}/signup"]`).click();
    await focal.waitForURL(`**${L}/signup`);
    await check(focal, 'sign-up form', 'signup');
    const form = focal.locator(`main form[action$="${L}/signup"]`);
    await form.locator(`input[name="name_${lang}"]`).fill(NAMES[lang]);
    await form.locator('select[name="type"]').selectOption('ngo');
    await form.locator('select[name="country"]').selectOption('SEN');
    await form.locator('input[name="website"]').fill(`https://${lang}.journey.test`);
    await form.locator('input[name="name"]').fill('Aminata Diallo');
    await form.locator('input[name="username"]').fill(focalUser);
    await form.locator('input[name="email"]').fill(focalEmail);
    await form.locator('input[name="password"]').fill(focalPw);
    let resp = await submitWith(focal, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 201, 'signed up');

    // 2. It verifies its address with the emailed link.
    const [verifyLink] = await waitForMail(mailDir, focalEmail, linkTo(`${L}/account/email/verify`), 'the verification link');
    await visit(focal, verifyLink);
    resp = await submitWith(focal, focal.locator(`main form[action$="${L}/account/email/verify"] button[type="submit"]`));
    assert.ok(resp.status() < 400, `verifying the address answers ${resp.status()}`);
    assert.ok((await mainText(focal)).includes(focalEmail), 'the page names the verified address');
    // The same link again: refused, clearly (on opening it, or on
    // confirming).
    await usedLink(focal, verifyLink, `${L}/account/email/verify`);
    await check(focal, 'used link refused', 'used-link');

    // 3. The Secretariat verifies the organisation from its queue, and
    //    appoints France's delegation manager.
    const admin = await newPage();
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, `${L}/admin/signups`);
    const card = admin.locator('main section.card', { hasText: NAMES[lang] });
    assert.equal(await card.count(), 1, 'the organisation is in the queue');
    const orgID = (await card.getAttribute('id')).replace('signup-', '');
    await check(admin, 'verification queue', 'queue');
    resp = await submitWith(admin, card.locator('form[action$="/verify"] button[type="submit"]'));
    assert.equal(resp.status(), 303, 'verified');
    await visit(admin, `${L}/delegations/FRA`);
    const appoint = admin.locator(`main form[action$="${L}/delegations/FRA/managers"]`);
    await appoint.locator('select[name="username"]').selectOption('delegate-fra');
    resp = await submitWith(admin, appoint.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'France’s delegation manager appointed');

    // 4. The focal point invites a colleague, who accepts.
    await signIn(focal, lang, focalUser, focalPw);
    await visit(focal, `${L}/inbox`);
    assert.ok((await mainText(focal)).includes(msg(lang, 'notice.signup_verified')), 'the inbox tells the focal point of the verification');
    await visit(focal, `${L}/organizations/${orgID}/members`);
    const colleague = `jcc-col-${lang}`;
    const colleagueEmail = `${colleague}@journey.test`;
    const invite = focal.locator(`main form[action$="/organizations/${orgID}/members"]`);
    await invite.locator('input[name="username"]').fill(colleague);
    await invite.locator('input[name="name"]').fill('Moussa Sow');
    // First an address already in use: refused, the input kept.
    await invite.locator('input[name="email"]').fill(focalEmail);
    resp = await submitWith(focal, invite.locator('button[type="submit"]'));
    assert.equal(resp.status(), 409, 'an invitation to an address in use is refused');
    assert.equal(await focal.locator('main input[name="username"]').inputValue(), colleague, 'the typed username is kept');
    await check(focal, 'invitation refused', 'invite-refused');
    await focal.locator('main input[name="email"]').fill(colleagueEmail);
    resp = await submitWith(focal, focal.locator(`main form[action$="/organizations/${orgID}/members"] button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the colleague is invited');
    await check(focal, 'members', 'members');
    const [inviteLink] = await waitForMail(mailDir, colleagueEmail, linkTo(`${L}/password/reset`), 'the invitation link');
    const col = await newPage();
    await visit(col, inviteLink);
    const colPw = pw('colleague');
    await col.locator('main input[name="password"]').fill(colPw);
    resp = await submitWith(col, col.locator(`main form[action$="${L}/password/reset"] button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the colleague chooses a password');
    await signIn(col, lang, colleague, colPw);

    // 5. The focal point applies: the text, the letter, submission.
    await visit(focal, `${L}/accreditation`);
    resp = await submitWith(focal, focal.locator(`main form[action$="/accreditation/applications"]:has(input[name="window"][value="${wid}"]) button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the application is started');
    const appID = new URL(focal.url()).pathname.split('/').pop();
    const appURL = `${L}/accreditation/applications/${appID}`;
    const appForm = focal.locator(`main ${formTo(`/accreditation/applications/${appID}`)}`);
    await appForm.locator('textarea[name="purpose"]').fill(TEXT[lang].purpose);
    await appForm.locator('input[name="file"]').setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: PDF });
    resp = await submitWith(focal, appForm.locator('button[name="do"][value="save"]'));
    assert.equal(resp.status(), 303, 'the text and the letter are saved');
    resp = await submitWith(focal, focal.locator(`main ${formTo(`/accreditation/applications/${appID}`)} button[name="do"][value="submit"]`));
    assert.equal(resp.status(), 303, 'the application is submitted');
    await check(focal, 'application submitted', 'application');

    // 6. France's manager sets up two-factor sign-in and invites a delegate
    //    who may object on the State's behalf; the delegate accepts.
    const mgr = await newPage();
    await signIn(mgr, lang, 'delegate-fra', env.delegatePassword);
    assert.equal(new URL(mgr.url()).pathname, `${L}/account/two-factor`, 'the manager is sent to set up two-factor sign-in');
    await submitWith(mgr, mgr.locator('main form[action$="/account/two-factor/start"] button[type="submit"]'));
    const secret = (await mgr.locator('main code.secret').innerText()).replace(/\s+/g, '');
    const confirm = mgr.locator('main form[action$="/account/two-factor/confirm"]');
    await confirm.locator('input[name="code"]').fill(await freshCode(new URL(base).origin, 'delegate-fra', secret));
    assert.equal((await submitWith(mgr, confirm.locator('button[type="submit"]'))).status(), 200, 'two-factor sign-in set up');
    await visit(mgr, `${L}/delegations/FRA`);
    const delegate = `jfra-${lang}`;
    const delegateEmail = `${delegate}@fra.test`;
    const dinvite = mgr.locator(`main form[action$="${L}/delegations/FRA/invitations"]`);
    await dinvite.locator('input[name="username"]').fill(delegate);
    await dinvite.locator('input[name="name"]').fill(lang === 'ar' ? 'كامي لوران' : 'Camille Laurent');
    await dinvite.locator('input[name="email"]').fill(delegateEmail);
    await dinvite.locator('input[name="may_speak"]').check();
    resp = await submitWith(mgr, dinvite.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the delegate is invited');
    await check(mgr, 'delegation as its manager', 'delegation');
    await visit(mgr, `${L}/delegations/DEU`, 403); // another State's mission
    const [delegateLink] = await waitForMail(mailDir, delegateEmail, linkTo(`${L}/password/reset`), 'the invitation link');
    const del = await newPage();
    await visit(del, delegateLink);
    const delPw = pw('delegate');
    await del.locator('main input[name="password"]').fill(delPw);
    resp = await submitWith(del, del.locator(`main form[action$="${L}/password/reset"] button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the delegate chooses a password');
    // The invitation link is single-use.
    await usedLink(del, delegateLink, `${L}/password/reset`, pw('again'));

    // 7. Past the window's close: the Secretariat circulates.
    const closes = Date.parse((await api(base, 'GET', `/accreditation/windows/${encodeURIComponent(wid)}`)).json.closes);
    await server.restart({ flags, clockOffset: `${Math.ceil((closes - Date.now()) / 1000) + 600}s` });
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, winURL);
    resp = await confirmWith(admin, admin.locator(`main form[action$="/windows/${wid}/circulate"] button[type="submit"]`), 'circulating');
    assert.equal(resp.status(), 303, 'circulated');
    const deadline = Date.parse((await api(base, 'GET', `/accreditation/windows/${encodeURIComponent(wid)}`)).json.objection_deadline);
    assert.ok(deadline > closes, 'the round has an objection deadline');

    // 8. Twelve hours before the deadline: the scheduler reminds France,
    //    and the delegate, reminded, objects.
    await server.restart({ flags, clockOffset: `${Math.ceil((deadline - Date.now()) / 1000) - 12 * 3600}s` });
    await waitForMail(mailDir, delegateEmail, new RegExp(`/${lang}/accreditation/windows/${wid}`), 'the reminder');
    await signIn(del, lang, delegate, delPw);
    await visit(del, `${L}/inbox`);
    assert.ok((await mainText(del)).includes(msg(lang, 'notice.deadline_soon')), 'the delegate’s inbox has the reminder');
    assert.ok((await mainText(del)).includes('delegate-fra'), 'the inbox names the appointed manager');
    assert.ok(!(await mainText(del)).includes('<no value>'), 'every notice is worded with its arguments');
    await check(del, 'inbox with the reminder', 'reminder');
    await visit(del, appURL);
    await del.locator('main textarea#basis').fill(TEXT[lang].basis);
    resp = await submitWith(del, del.locator(`main form[action$="/applications/${appID}/objection"] button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the delegate objects for France');
    assert.ok((await mainText(del, '.own')).includes(TEXT[lang].basis), 'the objection is shown with its basis');
    await check(del, 'application objected', 'objected');

    // 9. Past the deadline: the organisation is told the outcome.
    await server.restart({ flags, clockOffset: `${Math.ceil((deadline - Date.now()) / 1000) + 600}s` });
    await waitForMail(mailDir, focalEmail, new RegExp(`/${lang}/accreditation/applications/${appID}\\b`), 'the outcome');
    await signIn(focal, lang, focalUser, focalPw);
    await visit(focal, `${L}/inbox`);
    assert.ok((await mainText(focal)).includes(msg(lang, 'notice.blocked')), 'the focal point’s inbox has the outcome');
    await check(focal, 'inbox with the outcome', 'outcome');
    await visit(focal, appURL);
    assert.equal(await focal.locator('main dl.facts strong.status').getAttribute('class'), 'status status-blocked', 'the application shows the outcome');
    await validateSavedHTML(t, saved);
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await server.stop();
  }
}
