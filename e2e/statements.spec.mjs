// Lists of speakers and statements. The public opens the July plenary: its
// list of speakers on item 5 in the rule's order (the EU for its members
// first) and the statements, marked as not part of the official record; a
// statement's page in English at desktop width, the meeting in Arabic at
// phone width. Pages are checked with axe. Screenshots: statements-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, visit, checkPage, mainText, msg, trackDocuments, validateSavedHTML } from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the public reads the July plenary\'s list of speakers and statements, in English and Arabic', { timeout: 120_000 }, async (t) => {
  const saved = [];
  const ctx = await newContext(browser);
  try {
    const page = trackDocuments(await ctx.newPage());
    await visit(page, '/en/meetings?when=past');
    const href = await page.locator('main a', { hasText: 'First substantive session' }).first().getAttribute('href');
    await visit(page, href);
    const text = await mainText(page);
    assert.ok(text.includes(msg('en', 'statements.speakers')), 'the list of speakers');
    const eu = text.indexOf('European Union'), usa = text.indexOf('United States');
    assert.ok(eu >= 0 && usa > eu, 'the EU speaks first, for its members');
    assert.ok(text.includes(msg('en', 'statements.not_on_record')), 'informal: not on the record');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'meeting with speakers', shot: 'statements-en-01-meeting' });

    await visit(page, await page.locator('main table.statements a[href*="/statements/"]').first().getAttribute('href'));
    assert.ok((await mainText(page)).includes(msg('en', 'statements.not_on_record_note')), 'the statement says it is not on the record');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'statement', shot: 'statements-en-02-statement' });

    await visit(page, href.replace('/en/', '/ar/'));
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.ok((await mainText(page)).includes(msg('ar', 'statements.speakers')), 'the Arabic list of speakers');
    await checkPage(t, page, { html: saved, lang: 'ar', label: 'ar meeting with speakers', shot: 'statements-ar-03-meeting', phone: true });
  } finally {
    await ctx.close();
    await validateSavedHTML(t, saved);
  }
});
