// The demo decisions (the procedural proposals, the agenda's adoption, the
// topic proposal) and the list, in English and in Arabic: axe at desktop and
// phone widths, <html lang dir>, the accessible chart, the six-row
// simulation, and vnu. Kept apart from the decision journey
// (decisions.spec.mjs) so that each file fits the suite's per-file time budget.
// Runs against the suite's shared server (BASE_URL). Screenshots: en-demo-decisions*, ar-demo-decisions*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LANGS, launchBrowser, newContext, visit, checkPage, trackDocuments, validateSavedHTML } from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// The first five demo decisions (the procedural proposals, the agenda's
// adoption, the topic proposal) and the list.
describe('demo decisions', () => {
  const saved = [];
  for (const lang of LANGS) {
    for (const p of ['/decisions', '/decisions/1', '/decisions/2', '/decisions/3', '/decisions/4', '/decisions/5']) {
      test(`${lang} ${p}`, async (t) => {
        const context = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
        try {
          const page = trackDocuments(await context.newPage());
          await visit(page, `/${lang}${p}`);
          const name = p.slice(1).replace(/\//g, '-');
          await checkPage(t, page, { html: saved, lang, label: `${lang} ${p}`, shot: `${lang}-demo-${name}`, phone: true });
          if (p !== '/decisions') {
            await t.test('chart has <title> and <desc>', async () => {
              const n = await page.locator('main svg[role="img"]').evaluate((s) =>
                [...s.children].filter((c) => ['title', 'desc'].includes(c.localName) && c.textContent.trim()).length);
              assert.equal(n, 2);
            });
            await t.test('simulation has six rows', async () =>
              assert.equal(await page.locator('main table').last().locator('tbody tr').count(), 6));
          }
        } finally {
          await context.close();
        }
      });
    }
  }
  test('HTML validity (vnu) of the demo decisions', (t) => validateSavedHTML(t, saved));
});
