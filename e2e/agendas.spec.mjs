// Provisional agendas, in English and in Arabic. The public reads the demo's
// July agenda: the sessions list, the session proceeding informally on
// provisional agenda version 1, version 1 with its record of agreement and
// divergence, and the word diff of item 5 between versions 1 and 2 (each
// language in its own direction). The Chair then issues the agenda of a new
// session: a duplicate item number comes back at 422 with what was typed,
// the corrected form is saved (303), the version is put to adoption, the
// Chair takes the decision on the decision page, and the session page shows
// the adopted agenda. Every page is checked with axe, at desktop and phone
// widths for the main ones. Screenshots: agenda-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  env, LANGS, ARABIC_RE, launchBrowser, newContext, submitWith, confirmWith, signIn, visit, checkPage, mainText, msg,
  trackDocuments, validateSavedHTML,
} from './lib.mjs';

const SESSION = 'GM-2026-1';

const TEXT = {
  en: { opening: 'Opening of the session', adoption: 'Adoption of the agenda', work: 'Organization of work' },
  ar: { opening: 'افتتاح الدورة', adoption: 'إقرار جدول الأعمال', work: 'تنظيم الأعمال' },
};

// fill replaces {{.Name}} placeholders of a catalogue message.
const fill = (s, args) => s.replace(/\{\{\.(\w+)\}\}/g, (_, k) => String(args[k]));

const pathOf = (page) => new URL(page.url()).pathname;
const field = (page, id) => page.locator(`main [id="${id}"]`);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('the demo agenda, as the public reads it', () => {
  for (const lang of LANGS) {
    test(`${lang}: sessions, the session proceeding informally, version 1, the diff`, { timeout: 180_000 }, (t) => reading(t, lang));
  }
});

async function reading(t, lang) {
  const L = `/${lang}`;
  const saved = [];
  const context = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
  try {
    const page = trackDocuments(await context.newPage());
    await visit(page, `${L}/agendas`);
    assert.equal(await page.locator(`main a[href="${L}/sessions/${SESSION}"]`).count(), 1, 'the demo session is listed');
    await checkPage(t, page, { html: saved, lang, label: 'agendas list', shot: `agenda-${lang}-01-list`, phone: true });

    await visit(page, `${L}/sessions/${SESSION}`);
    const callout = await mainText(page, '.callout');
    assert.ok(callout.includes(fill(msg(lang, 'agendas.basis.informal'), { N: 1 })), `the session proceeds informally on version 1: "${callout}"`);
    assert.equal(await page.locator('main table.agenda-items tbody tr').count(), 8, 'the eight items of version 1');
    await checkPage(t, page, { html: saved, lang, label: 'session agenda', shot: `agenda-${lang}-02-session`, phone: true });

    // Version 1, through the versions table.
    await page.locator('main table a', { hasText: fill(msg(lang, 'agendas.version'), { N: 1 }) }).first().click();
    await page.waitForLoadState('load');
    assert.match(pathOf(page), new RegExp(`^${L}/agendas/\\d+$`));
    const record = await mainText(page, 'ul.record');
    assert.ok(record.includes('пункт 9 приложения C'), 'Russia’s objection, in Russian');
    const behalf = msg(lang, 'agendas.on_behalf')[new Intl.PluralRules(lang).select(27)];
    assert.ok(record.includes(fill(behalf, { Count: 27 })), 'the EU speaks for its 27 members');
    assert.equal(await page.locator('main ul.record p.statement[lang="ru"]').count(), 1, 'the Russian statement is marked lang="ru"');
    await checkPage(t, page, { html: saved, lang, label: 'version 1 with its adoption', shot: `agenda-${lang}-03-v1`, phone: true });

    await visit(page, `${L}/sessions/${SESSION}/diff?from=1&to=2`);
    assert.equal(await page.locator('main section.change').count(), 1, 'one item changed');
    assert.equal(await page.locator('main table.diff tbody tr').count(), 6, 'in six languages');
    const ar = page.locator('main table.diff td[lang="ar"]');
    assert.equal(await ar.getAttribute('dir'), 'rtl', 'the Arabic text runs right to left, on every page');
    assert.ok(await ar.locator('del').count() > 0 && await ar.locator('ins').count() > 0, 'Arabic deletions and insertions are marked');
    assert.ok(ARABIC_RE.test(await ar.innerText()));
    await checkPage(t, page, { html: saved, lang, label: 'diff v1 -> v2', shot: `agenda-${lang}-04-diff`, phone: true });
  } finally {
    await context.close();
    await validateSavedHTML(t, saved);
  }
}

describe('a new session’s agenda from issue to adoption', () => {
  for (const lang of LANGS) {
    test(`${lang}: the Chair issues, corrects, puts to adoption and adopts`, { timeout: 180_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const tx = TEXT[lang];
  const code = `E2E-${lang.toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
  const saved = [];
  const contexts = [];
  const newPage = async () => {
    const c = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
    contexts.push(c);
    return trackDocuments(await c.newPage());
  };
  try {
    const chair = await newPage();
    await signIn(chair, lang, 'chair', env.chairPassword);
    await visit(chair, `${L}/agendas`);
    const start = chair.locator('main form[action$="/agendas/new"]');
    assert.equal(await start.count(), 1, 'the Chair may issue the agenda of a new session');
    await start.locator('#session').fill(code);
    await start.locator('button[type="submit"]').click();
    await chair.waitForLoadState('load');
    const form = chair.locator('main form[action$="/agendas"]');
    assert.equal(await form.count(), 1, 'the form for version 1');
    assert.equal(await field(chair, 'session').inputValue(), code);

    // Two items numbered 1: refused with the row marked, the text kept.
    await field(chair, 'items[0].number').fill('1');
    await field(chair, `items[0].title.${lang}`).fill(tx.opening);
    await field(chair, 'items[1].number').fill('1');
    await field(chair, `items[1].title.${lang}`).fill(tx.adoption);
    let resp = await submitWith(chair, form.locator('button[type="submit"]').first());
    assert.equal(resp.status(), 422, 'a duplicate item number answers 422');
    await t.test('the duplicate number is marked and explained, the typed text kept', async () => {
      const f = field(chair, 'items[1].number');
      assert.equal(await f.getAttribute('aria-invalid'), 'true');
      const by = (await f.getAttribute('aria-describedby')) ?? '';
      assert.equal((await chair.locator(`[id="${by}"]`).innerText()).trim(), msg(lang, 'agendas.error.duplicate_number'));
      assert.equal(await field(chair, `items[0].title.${lang}`).inputValue(), tx.opening);
      assert.equal(await field(chair, `items[1].title.${lang}`).inputValue(), tx.adoption);
      assert.equal(await field(chair, 'items[1].title.ar').getAttribute('dir'), 'rtl', 'Arabic titles are typed right to left');
    });
    await checkPage(t, chair, { html: saved, lang, label: 'agenda form with an error', shot: `agenda-${lang}-05-form-error`, phone: true });

    await field(chair, 'items[1].number').fill('2');
    await field(chair, 'items[2].number').fill('3');
    await field(chair, `items[2].title.${lang}`).fill(tx.work);
    resp = await submitWith(chair, form.locator('button[type="submit"]').first());
    assert.equal(resp.status(), 303, 'issuing answers 303');
    assert.match(pathOf(chair), new RegExp(`^${L}/agendas/\\d+$`));
    const versionURL = pathOf(chair);
    assert.equal(await chair.locator('main table.agenda-items tbody tr').count(), 3);
    assert.ok((await mainText(chair)).includes(msg(lang, 'agendas.pending_heading')), 'five languages are pending');
    await checkPage(t, chair, { html: saved, lang, label: 'version 1 as the Chair', shot: `agenda-${lang}-06-version` });

    // Put to adoption, then the Chair decides on the decision page.
    const put = chair.locator('main form[action$="/adoption"]');
    resp = await submitWith(chair, put.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'putting to adoption answers 303');
    assert.equal(pathOf(chair), versionURL);
    assert.ok((await mainText(chair, 'dl.facts')).includes(msg(lang, 'agendas.under_adoption')));
    assert.equal(await chair.locator('main form[action$="/adoption"]').count(), 0, 'no second adoption');
    await checkPage(t, chair, { html: saved, lang, label: 'version under adoption', shot: `agenda-${lang}-07-pending` });
    await chair.locator('main dl.facts a[href*="/decisions/"]').click();
    await chair.waitForLoadState('load');
    assert.match(pathOf(chair), new RegExp(`^${L}/decisions/\\d+$`));
    const act = chair.locator('main form[action$="/acts"]');
    await act.locator('input[type="radio"][name="kind"][value="decide"]').check();
    resp = await confirmWith(chair, act.locator('button[type="submit"]'), 'the Chair’s decision');
    assert.equal(resp.status(), 303, 'the Chair’s act answers 303');
    await chair.locator(`main a[href="${versionURL}"]`).first().click();
    await chair.waitForLoadState('load');
    assert.equal(pathOf(chair), versionURL, 'the decision page links back to the version');

    const anon = await newPage();
    await visit(anon, `${L}/sessions/${code}`);
    assert.ok((await mainText(anon, '.callout')).includes(fill(msg(lang, 'agendas.basis.adopted'), { N: 1 })), 'the session works on the adopted agenda');
    await checkPage(t, anon, { html: saved, lang, label: 'session with its adopted agenda', shot: `agenda-${lang}-08-adopted`, phone: true });
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await validateSavedHTML(t, saved);
  }
}
