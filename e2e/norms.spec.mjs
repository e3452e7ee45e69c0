// The norms implementation checklist, in English and in Arabic: France's
// delegate reports on an action (every problem of an incomplete form at
// once, then the valid report), sees it on France's checklist with the
// change in its history; the overview's charts (per norm, per region) have
// their table twins and mirror in Arabic; the public does not see
// Estonia's reports, kept to States. Checked with axe at desktop and phone
// widths (390 px). Screenshots: norms-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  env, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, trackDocuments, validateSavedHTML,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const field = (page, id) => page.locator(`main [id="${id}"]`);

test('a State reports on the checklist and reads its progress and history', { timeout: 120_000 }, async (t) => {
  const saved = [];
  const ctx = await newContext(browser);
  try {
    const page = trackDocuments(await ctx.newPage());
    const actions = { en: 'a1', ar: 'a2' };
    for (const lang of ['en', 'ar']) {
      const L = `/${lang}`;
      const shot = (s) => `norms-${lang}-${s}`;
      await signIn(page, lang, 'delegate-fra', env.delegatePassword);
      await visit(page, `${L}/norms`);
      assert.equal(await page.locator('main svg.chart').count(), 2, 'a chart per norm and per region');
      assert.equal(await page.locator('main svg.chart[direction]').first().getAttribute('direction'), lang === 'ar' ? 'rtl' : 'ltr', 'the charts mirror in Arabic');
      assert.ok(await page.locator('main table.tally').count() >= 2, 'each chart has its table');
      await checkPage(t, page, { html: saved, lang, label: 'checklist overview', shot: shot('01-overview'), phone: true });

      const a = actions[lang];
      await visit(page, `${L}/norms/states/FRA/actions/${a}`);
      const form = page.locator(`main form[action$="${L}/norms/states/FRA/actions/${a}"]`);
      await field(page, 'link').fill('not a link');
      let resp = await submitWith(page, form.locator('button[type="submit"]'));
      assert.equal(resp.status(), 422, 'an incomplete report answers 422');
      const text = await mainText(page);
      for (const k of ['norms.error.status', 'norms.error.link']) {
        assert.ok(text.includes(msg(lang, k)), `${k} is reported with the rest`);
      }
      await checkPage(t, page, { html: saved, lang, label: 'report form with errors', shot: shot('02-errors'), phone: true });

      await field(page, 'status').selectOption('implemented');
      await field(page, 'evidence').fill(lang === 'ar' ? 'اعتُمدت الاستراتيجية الوطنية' : 'National strategy adopted');
      await field(page, 'link').fill('https://example.fr/strategy');
      resp = await submitWith(page, form.locator('button[type="submit"]'));
      assert.ok(resp.status() === 303 || resp.status() === 200, `the report is saved (${resp.status()})`);
      assert.match(page.url(), /\/norms\/states\/FRA\?saved=/, "France's checklist follows");
      assert.ok((await page.locator('main p.notice').textContent()).includes(a), 'the page says the report is saved');
      assert.ok((await page.locator(`main #action-${a}`).textContent()).includes(msg(lang, 'norms.status.implemented')), 'the action shows its status');
      assert.ok(await page.locator('main ul.history li').count() >= 1, 'the change is in the history');
      await checkPage(t, page, { html: saved, lang, label: "a State's checklist", shot: shot('03-state'), phone: true });
    }
  } finally {
    await ctx.close();
  }
  const anon = await newContext(browser);
  try {
    const page = await anon.newPage();
    await visit(page, '/en/norms/states/EST');
    assert.ok(!(await mainText(page)).includes('example.org/EST'), "the public does not see Estonia's reports kept to States");
  } finally {
    await anon.close();
  }
  await validateSavedHTML(t, saved);
});
