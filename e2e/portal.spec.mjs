// The cooperation portal, in English and in Arabic: France's delegate posts
// a need (every problem of an empty form at once, then the valid one), reads
// the offers the portal proposes with the explanation of each criterion,
// and expresses interest in one. The form and the need's page are checked
// with axe at desktop and phone widths (390 px). Screenshots: portal-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  env, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, trackDocuments, validateSavedHTML,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const field = (page, id) => page.locator(`main [id="${id}"]`);

test('a State posts a need, sees the proposed offers and why, and expresses interest', { timeout: 120_000 }, async (t) => {
  const saved = [];
  const ctx = await newContext(browser);
  try {
    const page = trackDocuments(await ctx.newPage());
    // In English a need for norm (g), which the demo's ITU programme
    // covers; in Arabic one for confidence-building measures (a
    // stakeholder's tabletop exercises).
    const cases = { en: { area: 'norm.g', title: 'Protecting water utilities' }, ar: { area: 'pillar.cbm', title: 'تمرين لجهات الاتصال' } };
    for (const lang of ['en', 'ar']) {
      const L = `/${lang}`;
      const shot = (s) => `portal-${lang}-${s}`;
      await signIn(page, lang, 'delegate-fra', env.delegatePassword);
      await visit(page, `${L}/portal/needs/new`);
      const form = page.locator(`main form[action$="${L}/portal/needs"]`);
      let resp = await submitWith(page, form.locator('button[type="submit"]'));
      assert.equal(resp.status(), 422, 'an empty need answers 422');
      const text = await mainText(page);
      for (const k of ['portal.error.area', 'portal.error.title', 'portal.error.description', 'portal.error.languages', 'portal.error.from', 'portal.error.until']) {
        assert.ok(text.includes(msg(lang, k)), `${k} is reported with the rest`);
      }
      await checkPage(t, page, { html: saved, lang, label: 'need form with errors', shot: shot('01-errors'), phone: true });

      await field(page, 'area').selectOption(cases[lang].area);
      await field(page, 'title').fill(cases[lang].title);
      await field(page, 'description').fill('We need **help** with:\n\n- an assessment\n- training');
      await page.locator('main input[name="languages"][value="en"]').check();
      await field(page, 'from').fill('2027-03-01');
      await field(page, 'until').fill('2027-06-30');
      resp = await submitWith(page, form.locator('button[type="submit"]'));
      assert.ok(resp.status() === 303 || resp.status() === 200, `the need is saved (${resp.status()})`);
      assert.match(page.url(), /\/portal\/needs\/\d+$/, 'the need page follows');
      assert.equal(await page.locator('main .prose strong').textContent(), 'help', 'the description is rendered from CommonMark');
      const matches = page.locator('main li.match');
      assert.ok(await matches.count() >= 1, 'offers are proposed');
      const first = matches.first();
      assert.ok((await first.textContent()).includes(msg(lang, 'portal.check.area.met')), 'the first proposal says it covers the area');
      await checkPage(t, page, { html: saved, lang, label: 'need with proposed offers', shot: shot('02-matches'), phone: true });

      resp = await submitWith(page, first.locator('button[type="submit"]'));
      assert.equal(resp.status(), 303, 'interest is recorded');
      const after = page.locator('main li.match').first();
      assert.ok((await after.textContent()).includes(msg(lang, 'portal.interest_beneficiary')), 'the page says France is interested');
      assert.equal(await after.locator('button[type="submit"]').count(), 0, 'interest is expressed once');
    }
  } finally {
    await ctx.close();
  }
  await validateSavedHTML(t, saved);
});
