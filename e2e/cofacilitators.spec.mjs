// Co-facilitators of the thematic groups, in English and in Arabic: France
// nominates a candidate for DTG 2 (a form error first, shown again with what
// was typed), the Secretariat enters Senegal's candidate, the Chair tries a
// set of one (refused, every rule explained, nothing saved), then proposes
// the balanced pair the page suggests; the set page shows its checks, its
// state under the rule in force and the simulation under the three modes,
// and links to its decision, which links back. The demo pages (overview,
// DTG 1 in both terms, the three demo sets) are checked with axe, the main
// ones at desktop and phone widths, and every page is validated with vnu.
// Runs against the suite's shared server (BASE_URL). Screenshots: cofac-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  BASE_URL, env, LANGS, launchBrowser, newContext, submitWith, confirmWith, signIn, visit, checkPage, mainText, msg, api,
  trackDocuments, validateSavedHTML,
} from './lib.mjs';

// Each language works on its own term, so the two journeys do not meet.
const TERM = { en: '2030-2031', ar: '2032-2033' };
const PERSON = {
  en: { fra: 'Camille Laurent', sen: 'Aminata Sow' },
  ar: { fra: 'Élise Martin', sen: 'Fatou Diallo' },
};

const pathOf = (page) => new URL(page.url()).pathname;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('co-facilitators from nomination to proposed set', () => {
  for (const lang of LANGS) {
    test(`${lang}: France and Senegal nominate, the Chair is refused an unbalanced set, then proposes the balanced pair`,
      { timeout: 180_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const term = TERM[lang];
  const suffix = randomBytes(2).toString('hex');
  const fraName = `${PERSON[lang].fra} ${suffix}`;
  const senName = `${PERSON[lang].sen} ${suffix}`;
  const board = `${L}/cofacilitators/DTG-2?term=${term}`;
  let shotN = 0;
  const shot = (step) => `cofac-${lang}-${String(++shotN).padStart(2, '0')}-${step}`;
  const contexts = [];
  const saved = [];
  const newPage = async () => {
    const c = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
    contexts.push(c);
    return trackDocuments(await c.newPage());
  };
  try {
    const fra = await newPage();
    const admin = await newPage();
    const chair = await newPage();
    const anon = await newPage();

    // --- France nominates ----------------------------------------------------
    await signIn(fra, lang, 'delegate-fra', env.delegatePassword);
    await visit(fra, board);
    const nform = () => fra.locator('main form[action$="/cofacilitators/nominations"]');
    assert.equal(await nform().count(), 1, 'the delegate has the nomination form');
    assert.deepEqual(await nform().locator('#state option').evaluateAll((os) => os.map((o) => o.value)), ['FRA'],
      'a delegate nominates for its own State only');
    await checkPage(t, fra, { html: saved, lang, label: 'DTG 2 board as a delegate', shot: shot('board-delegate') });

    await nform().evaluate((f) => { f.noValidate = true; });
    await nform().locator('#expertise').fill('norms, ransomware');
    let resp = await submitWith(fra, nform().locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a nomination without a name answers 422');
    await t.test('the missing name is marked and explained, and the typed expertise is kept', async () => {
      const f = fra.locator('main #person');
      assert.equal(await f.getAttribute('aria-invalid'), 'true');
      const by = (await f.getAttribute('aria-describedby')) ?? '';
      assert.equal((await fra.locator(`[id="${by}"]`).innerText()).trim(), msg(lang, 'cofacilitator.error.person'));
      assert.equal(await fra.locator('main #expertise').inputValue(), 'norms, ransomware');
    });
    await checkPage(t, fra, { html: saved, lang, label: 'nomination form with an error', shot: shot('nominate-error') });

    await nform().locator('#person').fill(fraName);
    await nform().locator('#gender').selectOption('female');
    await nform().locator('#term').fill(term);
    resp = await submitWith(fra, nform().locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the nomination answers 303');
    assert.equal(pathOf(fra), `${L}/cofacilitators/DTG-2`);
    assert.ok((await mainText(fra)).includes(fraName), 'the nomination is listed');
    assert.equal(await fra.locator('main p.flash, p.flash').count(), 1, 'a saved notice is shown');

    // --- the Secretariat enters Senegal's nomination ----------------------------
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, board);
    const aform = admin.locator('main form[action$="/cofacilitators/nominations"]');
    await aform.locator('#person').fill(senName);
    await aform.locator('#state').selectOption('SEN');
    await aform.locator('#gender').selectOption('female');
    await aform.locator('#expertise').fill('capacity-building');
    resp = await submitWith(admin, aform.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the Secretariat’s nomination answers 303');

    // --- the Chair: one candidate is not a set ------------------------------------
    await signIn(chair, lang, 'chair', env.chairPassword);
    await visit(chair, board);
    assert.equal(await chair.locator('main form[action$="/cofacilitators/nominations"]').count(), 0, 'the Chair does not nominate');
    const pairs = chair.locator('main ul.pairs li');
    assert.ok(await pairs.count() >= 1, 'the Chair sees the balanced pairs');
    await checkPage(t, chair, { html: saved, lang, label: 'DTG 2 board as the Chair', shot: shot('board-chair'), phone: true });
    const choose = chair.locator('main form[aria-labelledby="choose"]');
    const fraBox = choose.locator('label', { hasText: fraName }).locator('input[type="checkbox"]');
    await fraBox.check();
    resp = await submitWith(chair, choose.locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a set of one answers 422');
    await t.test('every rule is explained; the failure names the seats', async () => {
      const table = chair.locator('main .refused table');
      assert.equal(await table.locator('tbody tr').count(), 8, 'eight rules');
      const failed = table.locator('tbody tr:has(td.verdict-fail)');
      assert.ok(await failed.count() >= 1);
      assert.ok((await failed.first().innerText()).includes(msg(lang, 'cofac.rule.seats')));
      assert.equal(await chair.locator('main form[aria-labelledby="choose"] label', { hasText: fraName }).locator('input').isChecked(), true,
        'the choice is kept');
    });
    await checkPage(t, chair, { html: saved, lang, label: 'refused set', shot: shot('refused'), phone: true });

    // --- the Chair proposes the suggested pair ----------------------------------
    const pair = chair.locator('main ul.pairs li', { hasText: fraName }).filter({ hasText: senName });
    assert.equal(await pair.count(), 1, 'France and Senegal are a suggested pair');
    resp = await confirmWith(chair, pair.locator('button[type="submit"]'), 'proposing the set');
    assert.equal(resp.status(), 303, 'proposing answers 303');
    const m = pathOf(chair).match(new RegExp(`^${L}/cofacilitators/sets/(\\d+)$`));
    assert.ok(m, `after proposing the browser is on the set page (${chair.url()})`);
    const setURL = `${L}/cofacilitators/sets/${m[1]}`;
    assert.equal((await chair.locator('main strong.cofac-state').innerText()).trim(), msg(lang, 'cofac.state.proposed'));

    // --- the set page, as the public sees it ---------------------------------------
    await visit(anon, setURL);
    const facts = await mainText(anon, 'dl.facts');
    assert.ok(facts.includes(msg(lang, 'appointment.chair_proposal_silence')), 'the rule in force: silence procedure');
    const sim = anon.locator('main table').last();
    assert.equal(await sim.locator('tbody tr').count(), 3, 'the simulation has one row per appointment mode');
    assert.equal(await sim.locator('tbody tr.current').count(), 1);
    await checkPage(t, anon, { html: saved, lang, label: 'proposed set, public', shot: shot('set'), phone: true });
    const decision = anon.locator('main dl.facts a[href*="/decisions/"]');
    const decisionURL = await decision.getAttribute('href');
    await visit(anon, decisionURL);
    assert.equal(await anon.locator(`main a[href="${setURL}"]`).count(), 1, 'the decision page links back to the set');
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await validateSavedHTML(t, saved);
  }
}

// The demo: the overview, DTG 1 in both terms (the next one shows the
// rotation rule at work) and the three demo sets (one per appointment mode).
// DTG 2's board is checked by the journey.
describe('demo co-facilitators', () => {
  const saved = [];
  let setPaths = [];
  before(async () => {
    const r = await api(BASE_URL, 'GET', '/cofacilitators/sets?term=2026-2027');
    assert.equal(r.status, 200);
    setPaths = r.json.items.map((s) => `/cofacilitators/sets/${s.id}`);
    assert.equal(setPaths.length, 3, 'three demo sets');
  });
  for (const lang of LANGS) {
    test(`${lang}: demo pages`, { timeout: 180_000 }, async (t) => {
      const context = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
      try {
        const page = trackDocuments(await context.newPage());
        // Phone widths for the overview and the first set; the boards and
        // set pages share their layout with those the journey checks at both.
        const pages = ['/cofacilitators', '/cofacilitators/DTG-1', '/cofacilitators/DTG-1?term=2028-2029', ...setPaths];
        for (const [i, p] of pages.entries()) {
          await visit(page, `/${lang}${p}`);
          const name = p.slice(1).replace(/[/?=]/g, '-');
          await checkPage(t, page, { html: saved, lang, label: `${lang} ${p}`, shot: `cofac-${lang}-demo-${name}`, phone: i === 0 || i === 3 });
        }
      } finally {
        await context.close();
      }
    });
  }
  test('HTML validity (vnu) of the demo pages', (t) => validateSavedHTML(t, saved));
});
