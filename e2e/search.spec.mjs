// Search (issue 12). The public searches the demo's documents: in English
// for the provisional agenda, then in Arabic with the words typed without
// their hamza (الاعمال for الأعمال), and finds the agenda in both, the
// matches marked. Pages are checked with axe at desktop and phone widths.
// Screenshots: search-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, visit, checkPage } from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the public finds a document in English and in Arabic', { timeout: 60_000 }, async (t) => {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    for (const [lang, words, title] of [
      ['en', 'Provisional AGENDA', 'Provisional agenda of the first substantive session'],
      ['ar', 'جدول الاعمال المؤقت', 'جدول الأعمال المؤقت للدورة الموضوعية الأولى'],
    ]) {
      await visit(page, `/${lang}/search`);
      await page.locator('main input[type="search"]').fill(words);
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()),
        page.locator('main form[role="search"] button[type="submit"]').click(),
      ]);
      await page.waitForLoadState('load');
      assert.equal(resp.status(), 200);
      const link = page.locator('main ol.results a', { hasText: title });
      assert.equal(await link.count(), 1, `${lang}: the agenda is found`);
      assert.match(await link.getAttribute('href'), new RegExp(`^/${lang}/documents/\\d+$`));
      await checkPage(t, page, { lang, label: `${lang} search`, shot: `search-${lang}-01-results`, phone: true });
    }
  } finally {
    await ctx.close();
  }
});
