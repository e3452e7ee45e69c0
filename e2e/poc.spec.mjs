// The Points of Contact directory and its ping test, in English and in
// Arabic: France's delegate nominates a point of contact (every problem of a
// bad form at once, then the valid one), the Secretariat schedules and opens
// a ping round, the point of contact acknowledges through the personal link
// read from --mail-dir (once: the link used again is refused), and the
// public sees only the counts, never the directory. Pages are checked with
// axe, the forms and the acknowledgement page at phone width (390 px).
// Screenshots: poc-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  env, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, workDir, copyTemplateDB,
  ConcordServer, trackDocuments, validateSavedHTML,
  decodeQP,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });


// waitForLink polls the mail directory for the ping sent to `to` and
// returns its acknowledgement link.
async function waitForLink(dir, to, lang) {
  const re = new RegExp(`(https?://[^\\s"<>]+/${lang}/poc/ack\\?token=[A-Za-z0-9]+)`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml'))) {
      const text = decodeQP(readFileSync(path.join(dir, f), 'latin1'));
      const m = text.match(re);
      if (m && text.includes(`<${to}>`)) return m[1];
    }
    assert.ok(Date.now() < deadline, `no ping to ${to} within 30 s`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

const field = (page, id) => page.locator(`main [id="${id}"]`);

test('a delegate nominates, the Secretariat pings, the POC acknowledges, the public sees counts', { timeout: 240_000 }, async (t) => {
  const dir = path.join(workDir(), 'poc');
  const mailDir = path.join(dir, 'mail');
  mkdirSync(mailDir, { recursive: true });
  const server = await ConcordServer.create({ name: 'poc', db: copyTemplateDB(dir) });
  await server.start({ flags: ['--mail-dir', mailDir, '--base-url', server.baseURL] });
  const saved = [];
  const del = await newContext(browser, { baseURL: server.baseURL });
  const sec = await newContext(browser, { baseURL: server.baseURL });
  const poc = await newContext(browser, { baseURL: server.baseURL });
  try {
    const dp = trackDocuments(await del.newPage());
    const sp = trackDocuments(await sec.newPage());
    const pp = trackDocuments(await poc.newPage());
    await signIn(sp, 'en', 'admin', env.adminPassword);
    for (const lang of ['en', 'ar']) {
      const L = `/${lang}`;
      const shot = (s) => `poc-${lang}-${s}`;
      const email = `poc-${lang}-${randomBytes(3).toString('hex')}@anssi.test`;
      await signIn(dp, lang, 'delegate-fra', env.delegatePassword);

      // A bad form: every problem at once, what was typed kept.
      await visit(dp, `${L}/poc/new`);
      await field(dp, 'email').fill('not an address');
      await field(dp, 'phone').fill('12');
      const form = dp.locator(`main form[action$="${L}/poc"]`);
      let resp = await submitWith(dp, form.locator('button[type="submit"]'));
      assert.equal(resp.status(), 422, 'a bad nomination answers 422');
      const text = await mainText(dp);
      for (const k of ['poc.error.name', 'poc.error.function', 'poc.error.email', 'poc.error.languages']) {
        assert.ok(text.includes(msg(lang, k)), `${k} is reported with the rest`);
      }
      assert.equal(await field(dp, 'email').inputValue(), 'not an address', 'the input is kept');
      await checkPage(t, dp, { html: saved, lang, label: 'nomination with errors', shot: shot('01-errors'), phone: true });

      // France has one POC of each kind in the demo: a second of each.
      await field(dp, 'kind').selectOption(lang === 'en' ? 'technical' : 'diplomatic');
      await field(dp, 'name').fill(lang === 'ar' ? 'ليا مارتان' : 'Léa Martin');
      await field(dp, 'function').fill('ANSSI duty officer');
      await field(dp, 'email').fill(email);
      await field(dp, 'phone').fill('+33 1 71 75 84 68');
      await dp.locator(`main input[name="languages"][value="${lang}"]`).check();
      await field(dp, 'hours').fill('24/7');
      resp = await submitWith(dp, dp.locator(`main form[action$="${L}/poc"] button[type="submit"]`));
      assert.equal(resp.status(), 303, 'the nomination is saved');
      assert.ok((await mainText(dp)).includes(email), 'the directory lists the new POC');
      await checkPage(t, dp, { html: saved, lang, label: 'directory', shot: shot('02-directory') });

      // The Secretariat schedules and opens a round.
      await visit(sp, `${L}/poc/rounds/new`);
      await field(sp, 'opens').fill('2030-01-07T09:00');
      await field(sp, 'deadline').fill('2030-01-09T17:00');
      resp = await submitWith(sp, sp.locator(`main form[action$="${L}/poc/rounds"] button[type="submit"]`));
      assert.equal(resp.status(), 303, 'the round is scheduled');
      resp = await submitWith(sp, sp.locator('main form[action$="/open"] button[type="submit"]'));
      assert.equal(resp.status(), 303, 'the round is opened');
      await checkPage(t, sp, { html: saved, lang, label: 'round opened', shot: shot('03-round') });

      // The POC acknowledges through its link, once.
      const link = await waitForLink(mailDir, email, lang);
      await visit(pp, link);
      await checkPage(t, pp, { html: saved, lang, label: 'acknowledgement', shot: shot('04-ack'), phone: true });
      resp = await submitWith(pp, pp.locator(`main form[action$="${L}/poc/ack"] button[type="submit"]`));
      assert.equal(resp.status(), 200, 'the acknowledgement is recorded');
      assert.equal((await pp.locator('main [role="status"]').innerText()).trim(), msg(lang, 'poc.ack_done').replace('{{.State}}', 'FRA'));
      await visit(pp, link);
      assert.ok((await mainText(pp)).includes(msg(lang, 'poc.error.answered')), 'the link used again says it was recorded');
      await checkPage(t, pp, { html: saved, lang, label: 'used link', shot: shot('05-used') });

      // The public: counts only; the directory asks for a sign-in.
      await pp.context().clearCookies();
      await visit(pp, `${L}/poc`);
      const pub = await mainText(pp);
      assert.ok(/120|121/.test(pub), 'the public sees how many States nominated');
      assert.ok(!pub.includes('@'), 'no address on the public page');
      await checkPage(t, pp, { html: saved, lang, label: 'public counts', shot: shot('06-public'), phone: true });
      await pp.goto(`${L}/poc/directory`);
      assert.match(pp.url(), /\/login\?/, 'the directory sends the public to the sign-in page');
      await dp.context().clearCookies();
    }
    await validateSavedHTML(t, saved);
  } finally {
    await Promise.all([del.close(), sec.close(), poc.close()]);
    await server.stop();
  }
});
