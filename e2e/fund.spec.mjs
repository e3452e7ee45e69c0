// The Voluntary Fund, in English and in Arabic, on a server of its own: the
// Secretariat opens a call (every problem of an empty form at once, then
// the valid one) naming a reviewer; France, a developed State, is refused
// with every problem listed; Kenya applies, and a second submission is
// refused without saving twice; the Secretariat screens it, the reviewer
// scores it, the Secretariat awards it and then extends the call's deadline
// (a budget below the award refused); the review's comment never reaches
// Kenya or the public, and the award shows in the public totals. Pages are
// checked with axe at desktop and phone widths (390 px). Screenshots: fund-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  env, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, workDir, copyTemplateDB, createUser,
  ConcordServer, trackDocuments, validateSavedHTML,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const rand = () => randomBytes(12).toString('hex');
const day = (offset) => new Date(Date.now() + offset * 24 * 3600 * 1000).toISOString().slice(0, 10);
const SECRET = 'CONFIDENTIAL-remark-budget';

// The two languages run side by side, each on its own server and database.
describe('the Voluntary Fund', { concurrency: 2 }, () => {
  for (const lang of ['en', 'ar']) {
    test(`the Voluntary Fund from call to award (${lang})`, { timeout: 180_000 }, async (t) => {
      const L = `/${lang}`;
      const shot = (s) => `fund-${lang}-${s}`;
      const dir = path.join(workDir(), `fund-${lang}`);
      const db = copyTemplateDB(dir);
      const server = await ConcordServer.create({ name: `fund-${lang}`, db });
      const contexts = [];
      const saved = [];
      try {
        const ken = { user: `ken-${lang}`, pw: rand() };
        const rev = { user: `rev-${lang}`, pw: rand() };
        await createUser(db, { username: ken.user, password: ken.pw, role: 'delegate', state: 'KEN' });
        await createUser(db, { username: rev.user, password: rev.pw, role: 'delegate', state: 'NOR' });
        await server.start();
        const newPage = async () => {
          const c = await newContext(browser, { baseURL: server.baseURL, locale: lang === 'ar' ? 'ar' : 'en-US' });
          contexts.push(c);
          return trackDocuments(await c.newPage());
        };
        const field = (page, id) => page.locator(`main [id="${id}"]`);

        // The Secretariat opens a call.
        const admin = await newPage();
        await signIn(admin, lang, 'admin', env.adminPassword);
        await visit(admin, `${L}/fund/calls/new`);
        const callForm = admin.locator(`main form[action$="${L}/fund/calls"]`);
        let resp = await submitWith(admin, callForm.locator('button[type="submit"]'));
        assert.equal(resp.status(), 422, 'an empty call answers 422');
        let text = await mainText(admin);
        for (const k of ['error.required', 'fund.error.amount']) assert.ok(text.includes(msg(lang, k)), `${k} is reported with the rest`);
        await checkPage(t, admin, { html: saved, lang, label: 'call form with errors', shot: shot('01-call-errors'), phone: true });
        await field(admin, 'title').fill(lang === 'ar' ? 'حماية شبكات المستشفيات' : 'Protecting hospital networks');
        await field(admin, 'opens').fill(day(-1));
        await field(admin, 'closes').fill(day(30));
        await field(admin, 'amount').fill('400000');
        await field(admin, 'reviewers').fill(rev.user);
        resp = await submitWith(admin, callForm.locator('button[type="submit"]'));
        assert.equal(resp.status(), 303, 'the call is opened');
        const callURL = new URL(admin.url()).pathname;
        assert.match(callURL, /\/fund\/calls\/\d+$/);

        // France is not eligible: every problem at once, nothing saved.
        const fra = await newPage();
        await signIn(fra, lang, 'delegate-fra', env.delegatePassword);
        await visit(fra, callURL);
        const applyForm = (page) => page.locator('main form[action$="/applications"]');
        resp = await submitWith(fra, applyForm(fra).locator('button[type="submit"]'));
        assert.equal(resp.status(), 422, 'France is refused');
        text = await mainText(fra);
        for (const k of ['fund.error.not_eligible', 'error.required']) assert.ok(text.includes(msg(lang, k)), `${k} is listed`);
        await checkPage(t, fra, { html: saved, lang, label: 'application refused', shot: shot('02-refused'), phone: true });

        // Kenya applies; a second submission is refused and saves nothing.
        const kp = await newPage();
        await signIn(kp, lang, ken.user, ken.pw);
        await visit(kp, callURL);
        const fill = async () => {
          await field(kp, 'project').fill(lang === 'ar' ? 'فريق استجابة للقطاع الصحي' : 'A health-sector CERT');
          await field(kp, 'summary').fill('Train twelve analysts.');
          await field(kp, 'amount').fill('120000');
        };
        await fill();
        resp = await submitWith(kp, applyForm(kp).locator('button[type="submit"]'));
        assert.equal(resp.status(), 303, 'Kenya applies');
        const appURL = new URL(kp.url()).pathname;
        await visit(kp, callURL);
        await fill();
        resp = await submitWith(kp, applyForm(kp).locator('button[type="submit"]'));
        assert.equal(resp.status(), 409, 'a second submission is refused');
        assert.ok((await mainText(kp)).includes(msg(lang, 'fund.error.applied')), 'and says why');

        // Screening, review, award.
        await visit(admin, appURL);
        resp = await submitWith(admin, admin.locator('main form[action$="/screening"] button[type="submit"]'));
        assert.equal(resp.status(), 303, 'screened eligible');
        const rp = await newPage();
        await signIn(rp, lang, rev.user, rev.pw);
        await visit(rp, appURL);
        await field(rp, 'score').selectOption('4');
        await field(rp, 'comment').fill(SECRET);
        resp = await submitWith(rp, rp.locator('main form[action$="/reviews"] button[type="submit"]'));
        assert.equal(resp.status(), 303, 'reviewed');
        assert.ok((await mainText(rp)).includes(SECRET), 'the committee reads its review');
        await checkPage(t, rp, { html: saved, lang, label: 'application as a reviewer', shot: shot('03-review'), phone: true });
        await visit(admin, appURL);
        await field(admin, 'amount').fill('100000');
        resp = await submitWith(admin, admin.locator('main form[action$="/award"] button[type="submit"]'));
        assert.equal(resp.status(), 303, 'awarded');

        // The Secretariat corrects the call (English, desktop): a budget
        // below the award is refused and says why, keeping what was typed;
        // the extended deadline shows on the call's page.
        if (lang === 'en') {
          await visit(admin, callURL);
          await Promise.all([admin.waitForURL(/\/edit$/), admin.locator(`main a[href$="${callURL}/edit"]`).click()]);
          assert.equal(await field(admin, 'closes').inputValue(), day(30), 'the form is prefilled');
          const editForm = admin.locator(`main form[action$="${callURL}"]`);
          await field(admin, 'closes').fill(day(45));
          await field(admin, 'amount').fill('50000');
          resp = await submitWith(admin, editForm.locator('button[type="submit"]'));
          assert.equal(resp.status(), 422, 'a budget below the award is refused');
          assert.ok((await mainText(admin)).includes(msg(lang, 'fund.error.below_awarded')), 'and says why');
          assert.equal(await field(admin, 'closes').inputValue(), day(45), 'the form keeps what was typed');
          await checkPage(t, admin, { html: saved, lang, label: 'call edit with an error', shot: shot('05-call-edit') });
          await field(admin, 'amount').fill('400000');
          resp = await submitWith(admin, editForm.locator('button[type="submit"]'));
          assert.equal(resp.status(), 303, 'the deadline is extended');
          assert.ok((await mainText(admin)).includes(day(45)), 'the call shows the new deadline');
        }

        // Kenya and the public never read the comment; the award is public.
        await visit(kp, appURL);
        assert.ok(!(await mainText(kp)).includes(SECRET), 'the applicant does not see the review');
        const anon = await newPage();
        await visit(anon, appURL);
        assert.ok(!(await mainText(anon)).includes(SECRET), 'the public does not see the review');
        await visit(anon, `${L}/fund`);
        assert.ok((await mainText(anon)).includes(lang === 'ar' ? 'فريق استجابة للقطاع الصحي' : 'A health-sector CERT'), 'the award is listed');
        await checkPage(t, anon, { html: saved, lang, label: 'the Fund page', shot: shot('04-public'), phone: true });
      } finally {
        for (const c of contexts) await c.close();
        await server.stop();
      }
      await validateSavedHTML(t, saved);
    });
  }
});
