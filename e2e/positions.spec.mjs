// The positions register and the map of agreement and divergence. The
// public opens the map of the July session (item 5: the EU for its members
// and Canada and the United States support, Iran and Russia reserve) as an
// SVG with its table twin, in English at desktop and phone width and in
// Arabic (mirrored) at phone width, and follows a column to the item's
// register. France's delegate submits a statement objecting on item 5, sees
// France's objection in the register, withdraws the statement, and France
// is back under the EU's position. The public follows a DTG topic's column
// on the map of topics to the topic's register (the EU's support applied
// to its members, China's reservation, the positions on the decision that
// proposed it), in English and in Arabic, and France's record with its
// topic positions in Arabic. Pages are checked with axe.
// Screenshots: positions-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, trackDocuments, validateSavedHTML } from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the public reads the map and the register, in English and Arabic', { timeout: 120_000 }, async (t) => {
  const saved = [];
  const ctx = await newContext(browser);
  try {
    const page = trackDocuments(await ctx.newPage());
    await visit(page, '/en/positions/map');
    const svg = page.locator('main svg.position-map');
    assert.equal(await svg.getAttribute('role'), 'img');
    assert.equal(await svg.locator('title#map-title').count(), 1, 'the SVG has a title');
    assert.equal(await svg.locator('desc#map-desc').count(), 1, 'the SVG has a description');
    const table = await mainText(page, 'table.position-table');
    assert.ok(table.includes('Iran') && table.includes(msg('en', 'position.reservation')), 'the table twin names Iran\'s reservation');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'map', shot: 'positions-en-01-map', phone: true });

    await visit(page, await page.locator('main table.position-table thead a').first().getAttribute('href'));
    const reg = await mainText(page);
    assert.ok(reg.includes('France') && reg.includes('European Union'), 'the register applies the EU\'s position to France');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'register', shot: 'positions-en-02-register' });

    await visit(page, '/ar/positions/map');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.ok((await mainText(page)).includes(msg('ar', 'positions.map')), 'the Arabic map');
    await checkPage(t, page, { html: saved, lang: 'ar', label: 'ar map', shot: 'positions-ar-03-map', phone: true });
  } finally {
    await ctx.close();
    await validateSavedHTML(t, saved);
  }
});

test('France objects on item 5 in a statement, then withdraws it', { timeout: 120_000 }, async (t) => {
  const saved = [];
  const ctx = await newContext(browser);
  try {
    const page = trackDocuments(await ctx.newPage());
    await signIn(page, 'en', 'delegate-fra', env.delegatePassword);
    await visit(page, '/en/meetings?when=past');
    await visit(page, await page.locator('main a', { hasText: 'First substantive session' }).first().getAttribute('href'));
    await visit(page, await page.locator('main a[href$="/statements/new"]').getAttribute('href'));
    const form = page.locator('main form[action$="/statements"]');
    await form.locator('select[name="item"]').selectOption('item-5');
    await form.locator('textarea[name="text"]').fill('France cannot support item 5 as drafted.');
    await form.locator('select[name="item_position"]').selectOption('objection');
    let resp = await submitWith(page, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the statement is saved');
    const statementURL = new URL(page.url()).pathname;

    await visit(page, '/en/sessions/GM-2026-1/items/item-5/positions');
    const row = await mainText(page, 'table.register tr:has-text("France")');
    assert.ok(row.includes(msg('en', 'position.objection')), 'France\'s own objection replaces the EU\'s position for France');

    await visit(page, statementURL);
    resp = await submitWith(page, page.locator('main form[action$="/withdraw"] button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the statement is withdrawn');
    assert.ok((await mainText(page)).includes(msg('en', 'statements.withdrawn_note')), 'the statement says it was withdrawn');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'withdrawn statement', shot: 'positions-en-04-withdrawn', phone: true });

    await visit(page, '/en/sessions/GM-2026-1/items/item-5/positions');
    const after = await mainText(page, 'table.register tr:has-text("France")');
    assert.ok(after.includes(msg('en', 'position.support')) && after.includes('European Union'), 'France is back under the EU\'s position');
  } finally {
    await ctx.close();
    await validateSavedHTML(t, saved);
  }
});

test('the public reads a DTG topic\'s register, in English and Arabic', { timeout: 120_000 }, async (t) => {
  const saved = [];
  const ctx = await newContext(browser);
  try {
    const page = trackDocuments(await ctx.newPage());
    await visit(page, '/en/positions/map?show=topics');
    const head = page.locator('main table.position-table thead a').first();
    assert.match(await head.getAttribute('href'), /^\/en\/topics\/\d+\/t1\/positions$/, 'the first column is the first topic');
    await visit(page, await head.getAttribute('href'));
    const reg = await mainText(page);
    assert.ok(reg.includes('Ransomware') && reg.includes('Germany') && reg.includes('European Union') && reg.includes('China'), 'the topic\'s register');
    assert.ok(await page.locator('main a[href^="/en/decisions/"]').count() > 0, 'the decision that proposed the topic is a source');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'topic register', shot: 'positions-en-05-topic', phone: true });

    await visit(page, new URL(page.url()).pathname.replace(/^\/en\//, '/ar/'));
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.ok((await mainText(page)).includes(msg('ar', 'positions.topic_register_intro')), 'the Arabic register');
    await checkPage(t, page, { html: saved, lang: 'ar', label: 'ar topic register', shot: 'positions-ar-06-topic', phone: true });

    await visit(page, '/ar/states/FRA/record');
    assert.ok(await page.locator('main a[href$="/t1/positions"]').count() > 0, 'France\'s record lists its topic positions');
    await checkPage(t, page, { html: saved, lang: 'ar', label: 'ar record with topics', shot: 'positions-ar-07-record', phone: true });
  } finally {
    await ctx.close();
    await validateSavedHTML(t, saved);
  }
});
