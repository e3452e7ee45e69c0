// The rules of procedure in force, in English and in Arabic: the public page
// (axe at desktop and phone widths), the Secretariat's form for a new version
// (a malformed number is refused with the error tied to its field and the
// note kept), and a version scheduled for a later day, which shows as
// scheduled while the version in force stays in force. The new version takes
// effect next year, so the specs that run after this one see the same rules.
// Runs against the suite's shared server (BASE_URL). Screenshots: rules-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  env, LANGS, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg,
  trackDocuments, validateSavedHTML,
} from './lib.mjs';

const NOTE = {
  en: 'Case-by-case agreement on each briefer, as agreed at the second session.',
  ar: 'الموافقة على كل مقدم إحاطة على حدة، كما اتُّفق عليه في الدورة الثانية.',
};

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('rules of procedure in force', () => {
  for (const lang of LANGS) {
    test(`${lang}: the public reads the rules; the Secretariat schedules a new version`, { timeout: 120_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const saved = [];
  const contexts = [];
  const newPage = async () => {
    const c = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
    contexts.push(c);
    return trackDocuments(await c.newPage());
  };
  try {
    const anon = await newPage();
    await visit(anon, `${L}/rules`);
    assert.equal((await anon.locator('main h1').innerText()).trim(), msg(lang, 'procrule.title'));
    for (const code of ['agenda', 'cofacilitators', 'dtg-topics', 'briefers', 'fund-eligibility']) {
      assert.equal(await anon.locator(`main section#rule-${code}`).count(), 1, `a section for ${code}`);
      assert.equal(await anon.locator(`main section#rule-${code} .in-force`).count(), 1, `${code} has a version in force`);
    }
    assert.equal(await anon.locator('main a[href$="/new"]').count(), 0, 'the public has no new-version link');
    await checkPage(t, anon, { html: saved, lang, label: 'rules, public', shot: `rules-${lang}-public`, phone: true });

    const admin = await newPage();
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, `${L}/rules`);
    await admin.locator('main section#rule-briefers a[href$="/rules/briefers/new"]').click();
    await admin.waitForLoadState('load');
    const form = admin.locator('main form[action$="/rules/briefers"]');
    assert.equal(await form.count(), 1, 'the Secretariat has the form');
    assert.equal(await form.locator('#confirmation').inputValue(), 'non_objection_per_briefer', 'the form starts from the version in force');
    await checkPage(t, admin, { html: saved, lang, label: 'new version form', shot: `rules-${lang}-form`, phone: true });

    await form.locator('#confirmation').selectOption('consensus_per_briefer');
    await form.locator('#period_hours').fill('two days');
    await form.locator('#note').fill(NOTE[lang]);
    let resp = await submitWith(admin, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a period that is not a number answers 422');
    await t.test('the malformed period is marked, explained and the note kept', async () => {
      const f = admin.locator('main #period_hours');
      assert.equal(await f.getAttribute('aria-invalid'), 'true');
      const by = await f.getAttribute('aria-describedby');
      assert.equal((await admin.locator(`[id="${by}"]`).innerText()).trim(), msg(lang, 'procrule.error.number'));
      assert.equal(await admin.locator('main #note').inputValue(), NOTE[lang]);
    });
    await checkPage(t, admin, { html: saved, lang, label: 'new version form with an error', shot: `rules-${lang}-form-error` });

    const next = `${new Date().getUTCFullYear() + 1}-01-01`;
    await admin.locator('main #period_hours').fill('0');
    await admin.locator('main #from').fill(next);
    resp = await submitWith(admin, admin.locator('main form[action$="/rules/briefers"] button[type="submit"]'));
    assert.equal(resp.status(), 303, 'saving answers 303');
    assert.ok(new URL(admin.url()).pathname.endsWith('/rules'), `back on the rules page (${admin.url()})`);
    const section = await mainText(admin, 'section#rule-briefers');
    assert.ok(section.includes(msg(lang, 'procrule.status.scheduled')), 'the new version is scheduled');
    assert.ok(section.includes(NOTE[lang]), 'with its note');
    assert.ok((await admin.locator('main section#rule-briefers .in-force').innerText()).includes(msg(lang, 'confirmation.non_objection_per_briefer')),
      'the version in force is unchanged until the new one takes effect');
    await checkPage(t, admin, { html: saved, lang, label: 'rules with a scheduled version', shot: `rules-${lang}-scheduled` });
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await validateSavedHTML(t, saved);
  }
}
