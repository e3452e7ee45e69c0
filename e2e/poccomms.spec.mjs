// The message log between points of contact and bounces, in English and in
// Arabic: France's delegate sends Germany's points of contact a
// notification of an incident made from the standard template (every
// problem of a bad form at once, then the valid one), which is emailed to
// them (read from --mail-dir); Germany's delegate acknowledges receipt and
// replies in the thread; the public is sent to sign in. The Secretariat
// records a bounced address (every problem at once first), and Germany
// sees it in the directory. Pages are checked with axe, the forms and the
// thread at phone width (390 px). Screenshots: poccomms-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  env, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, workDir, copyTemplateDB,
  ConcordServer, trackDocuments, validateSavedHTML, decodeQP, LANGS,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// waitForMail polls the mail directory for a message containing needle
// and returns its decoded text.
async function waitForMail(dir, needle) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml'))) {
      const text = decodeQP(readFileSync(path.join(dir, f), 'latin1'));
      if (text.includes(needle)) return text;
    }
    assert.ok(Date.now() < deadline, `no mail with ${needle} within 30 s`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

const field = (page, id) => page.locator(`main [id="${id}"]`);

test('France notifies Germany of an incident, Germany acknowledges and replies, the Secretariat records a bounce', { timeout: 240_000 }, async (t) => {
  const dir = path.join(workDir(), 'poccomms');
  const mailDir = path.join(dir, 'mail');
  mkdirSync(mailDir, { recursive: true });
  const server = await ConcordServer.create({ name: 'poccomms', db: copyTemplateDB(dir) });
  await server.start({ flags: ['--mail-dir', mailDir, '--base-url', server.baseURL] });
  const saved = [];
  const fra = await newContext(browser, { baseURL: server.baseURL });
  const deu = await newContext(browser, { baseURL: server.baseURL });
  const sec = await newContext(browser, { baseURL: server.baseURL });
  try {
    const fp = trackDocuments(await fra.newPage());
    const dp = trackDocuments(await deu.newPage());
    const sp = trackDocuments(await sec.newPage());
    await signIn(sp, 'en', 'admin', env.adminPassword);
    for (const lang of LANGS) {
      const L = `/${lang}`;
      const shot = (s) => `poccomms-${lang}-${s}`;
      const subject = `Ransomware ${randomBytes(3).toString('hex')}`;
      await signIn(fp, lang, 'delegate-fra', env.delegatePassword);
      await signIn(dp, lang, 'delegate-deu', env.delegateDeuPassword);

      // The log with the demo's threads and the standard communications.
      await visit(fp, `${L}/poc/messages`);
      assert.ok((await mainText(fp)).includes('CERT-FR') || (await fp.locator('main table').count()) === 1, 'the demo thread is listed');
      await checkPage(t, fp, { html: saved, lang, label: 'message log', shot: shot('01-log'), phone: true });

      // Choose the incident notification; a bad form reports every problem.
      await visit(fp, `${L}/poc/messages/new`);
      await field(fp, 'choose-template').selectOption('incident-notification');
      await Promise.all([fp.waitForURL(/template=incident-notification/), fp.locator('main form[method="get"] button').click()]);
      await field(fp, 'detected').fill('2026-06-13');
      const form = fp.locator(`main form[action$="${L}/poc/messages"]`);
      let resp = await submitWith(fp, form.locator('button[type="submit"]'));
      assert.equal(resp.status(), 422, 'a bad message answers 422');
      const text = await mainText(fp);
      for (const k of ['poc.error.to', 'poc.error.field_required']) {
        assert.ok(text.includes(msg(lang, k)), `${k} is reported with the rest`);
      }
      assert.equal(await field(fp, 'detected').inputValue(), '2026-06-13', 'the input is kept');
      await checkPage(t, fp, { html: saved, lang, label: 'message with errors', shot: shot('02-errors'), phone: true });

      await field(fp, 'to').selectOption('DEU');
      await field(fp, 'subject').fill(subject);
      await field(fp, 'description').fill(lang === 'ar' ? 'تشفير سجلات المرضى في مستشفيين.' : 'Patient records encrypted at two hospitals.');
      resp = await submitWith(fp, fp.locator(`main form[action$="${L}/poc/messages"] button[type="submit"]`));
      assert.equal(resp.status(), 303, 'the message is sent');
      const thread = new URL(fp.url()).pathname;
      assert.ok((await mainText(fp)).includes(subject), 'the thread shows the message');
      await checkPage(t, fp, { html: saved, lang, label: 'thread (sender)', shot: shot('03-sent'), phone: true });

      // Germany's points of contact are emailed, in their language.
      const mail = await waitForMail(mailDir, subject);
      assert.ok(/@poc\.example>/.test(mail) && mail.includes('deu'), 'the mail goes to a German POC');

      // Germany acknowledges and replies.
      await visit(dp, thread);
      resp = await submitWith(dp, dp.locator('main form[action$="/ack"] button[type="submit"]'));
      assert.equal(resp.status(), 303, 'receipt is acknowledged');
      assert.equal(await dp.locator('main form[action$="/ack"]').count(), 0, 'acknowledged once');
      await field(dp, 'text').fill(lang === 'ar' ? 'تم الاستلام، ونحن نتحقق.' : 'Received; we are checking.');
      resp = await submitWith(dp, dp.locator('main form[action$="/reply"] button[type="submit"]'));
      assert.equal(resp.status(), 303, 'the reply is sent');
      await checkPage(t, dp, { html: saved, lang, label: 'thread (receiver)', shot: shot('04-replied') });
      await visit(fp, thread);
      assert.ok((await mainText(fp)).includes('delegate-deu'), 'France sees who acknowledged and replied');

      // The Secretariat records a bounce on one of Germany's addresses.
      await visit(sp, `${L}/poc/bounces/new`);
      resp = await submitWith(sp, sp.locator(`main form[action$="${L}/poc/bounces"] button[type="submit"]`));
      assert.equal(resp.status(), 422, 'an empty bounce answers 422');
      const errs = await mainText(sp);
      for (const k of ['poc.error.email', 'poc.error.bounce_reason']) assert.ok(errs.includes(msg(lang, k)), `${k} is reported`);
      await field(sp, 'email').fill('diplomatic.deu@poc.example');
      await field(sp, 'reason').fill('550 5.1.1 mailbox unavailable');
      resp = await submitWith(sp, sp.locator(`main form[action$="${L}/poc/bounces"] button[type="submit"]`));
      assert.equal(resp.status(), 200, 'the bounce is recorded');
      assert.ok((await mainText(sp)).includes(msg(lang, 'poc.bounce_done')), 'the Secretariat is told');
      await checkPage(t, sp, { html: saved, lang, label: 'bounce recorded', shot: shot('05-bounce'), phone: true });
      await visit(dp, `${L}/poc/directory`);
      assert.ok((await mainText(dp)).includes('550 5.1.1 mailbox unavailable'), 'Germany sees the bounce in the directory');

      // The public is sent to sign in.
      await fp.context().clearCookies();
      await fp.goto(thread);
      assert.match(fp.url(), /\/login\?/, 'the thread sends the public to the sign-in page');
      await dp.context().clearCookies();
    }
    await validateSavedHTML(t, saved);
  } finally {
    await Promise.all([fra.close(), deu.close(), sec.close()]);
    await server.stop();
  }
});
