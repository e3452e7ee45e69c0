// External briefers at DTG meetings, in English and in Arabic: France's
// delegate nominates a briefer (a refused form first: the error is marked and
// what was typed is kept), Germany's delegate objects on the decision page,
// and the nomination reads "rejected" with the objection and the simulation
// under the three confirmation rules; France then nominates another briefer
// and withdraws the nomination. The demo round (list and each nomination) is
// checked with axe at desktop and phone widths.
// Runs against the suite's shared server (BASE_URL). Screenshots: brf-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  env, LANGS, launchBrowser, newContext, submitWith, confirmWith, signIn, visit, checkPage, mainText, msg,
  trackDocuments, validateSavedHTML,
} from './lib.mjs';

const TEXT = {
  en: {
    name: 'Amina Diallo',
    affiliation: 'Université Cheikh Anta Diop, Dakar',
    expertise: 'Cyber capacity-building for West African incident response teams.',
    objection: 'Germany asks for more information on the briefer before agreeing.',
    note: 'The briefer is no longer available on those dates.',
  },
  ar: {
    name: 'ليلى حداد',
    affiliation: 'جامعة القاهرة',
    expertise: 'حماية البنية التحتية الحيوية للمعلومات في المنطقة العربية.',
    objection: 'تطلب ألمانيا مزيدًا من المعلومات عن مقدّم الإحاطة قبل الموافقة.',
    note: 'لم يعد مقدّم الإحاطة متاحًا في تلك المواعيد.',
  },
};

const pathOf = (page) => new URL(page.url()).pathname;

// A meeting date six weeks ahead (the server checks that it has not begun).
const meetingDate = new Date(Date.now() + 42 * 86_400_000).toISOString().slice(0, 10);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('a briefer from nomination to outcome', () => {
  for (const lang of LANGS) {
    test(`${lang}: France nominates, Germany objects, France nominates again and withdraws`,
      { timeout: 180_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const tx = TEXT[lang];
  const suffix = randomBytes(2).toString('hex');
  let shotN = 0;
  const shot = (step) => `brf-${lang}-${String(++shotN).padStart(2, '0')}-${step}`;
  const contexts = [];
  const saved = [];
  const newPage = async () => {
    const c = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
    contexts.push(c);
    return trackDocuments(await c.newPage());
  };
  try {
    const fra = await newPage();
    const deu = await newPage();
    const anon = await newPage();

    // --- France nominates --------------------------------------------------
    await signIn(fra, lang, 'delegate-fra', env.delegatePassword);
    await visit(fra, `${L}/briefers`);
    const link = fra.locator(`main a[href="${L}/briefers/new"]`);
    assert.equal(await link.count(), 1, 'a delegate has the link to the nomination form');
    await checkPage(t, fra, { html: saved, lang, label: 'briefers list as a delegate', shot: shot('list-delegate'), phone: true });
    await link.click();
    await fra.waitForLoadState('load');
    const form = () => fra.locator(`main form[action="${L}/briefers"]`);
    assert.equal(await form().count(), 1, 'the nomination form');
    assert.equal(await form().locator('select[name="nominated_by"]').count(), 0, 'a delegate nominates for its own State (no State select)');
    await checkPage(t, fra, { html: saved, lang, label: 'nomination form', shot: shot('form'), phone: true });

    // Without an affiliation: the server answers, so the browser's own
    // validation is switched off.
    const name = `${tx.name} ${suffix}`;
    await form().evaluate((f) => { f.noValidate = true; });
    await form().locator('#name').fill(name);
    await form().locator('#expertise').fill(tx.expertise);
    await form().locator('#dtg').selectOption('DTG-2');
    await form().locator('#meeting_date').fill(meetingDate);
    let resp = await submitWith(fra, form().locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a nomination without an affiliation answers 422');
    await t.test('the missing affiliation is marked and explained; the rest is kept', async () => {
      const f = fra.locator('main #affiliation');
      assert.equal(await f.getAttribute('aria-invalid'), 'true');
      const by = (await f.getAttribute('aria-describedby')) ?? '';
      assert.equal((await fra.locator(`[id="${by}"]`).innerText()).trim(), msg(lang, 'error.required'));
      assert.equal(await fra.locator('main #name').inputValue(), name);
      assert.equal(await fra.locator('main #expertise').inputValue(), tx.expertise);
      assert.equal(await fra.locator('main #dtg').inputValue(), 'DTG-2');
    });
    await checkPage(t, fra, { html: saved, lang, label: 'nomination form with an error', shot: shot('form-error') });

    await form().locator('#affiliation').fill(tx.affiliation);
    resp = await submitWith(fra, form().locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'nominating answers 303');
    const m = pathOf(fra).match(new RegExp(`^${L}/briefers/(\\d+)$`));
    assert.ok(m, `after nominating the browser is on the nomination (${fra.url()})`);
    const url = `${L}/briefers/${m[1]}`;
    assert.equal((await fra.locator('main h1').innerText()).trim(), name);
    assert.equal(await fra.locator('main p .status').first().getAttribute('class'), 'status status-nominated');
    assert.equal(await fra.locator(`main form[action="${url}/withdrawal"]`).count(), 1, 'the nominating State may withdraw');
    await checkPage(t, fra, { html: saved, lang, label: 'new nomination', shot: shot('nominated'), phone: true });
    const decision = await fra.locator(`main a[href^="${L}/decisions/"]`).first().getAttribute('href');

    // --- Germany objects on the decision page ---------------------------------
    await signIn(deu, lang, 'delegate-deu', env.delegateDeuPassword);
    await visit(deu, decision);
    const pos = deu.locator('main form[action$="/positions"]');
    await pos.locator('#kind').selectOption('objection');
    await pos.locator('#ptext').fill(tx.objection);
    resp = await confirmWith(deu, pos.locator('button[type="submit"]'), 'the objection');
    assert.equal(resp.status(), 303, 'the objection answers 303');
    assert.equal(await deu.locator(`main a[href="${url}"]`).count(), 1, 'the decision links back to the nomination');

    // --- the outcome, as the public sees it -----------------------------------
    await visit(anon, url);
    const status = anon.locator('main p .status').first();
    assert.equal(await status.getAttribute('class'), 'status status-rejected', 'an objection in a non-objection round rejects');
    assert.equal((await status.innerText()).trim(), msg(lang, 'briefers.state.rejected'));
    assert.ok((await mainText(anon)).includes(tx.objection), 'the objection is shown with its reason');
    assert.equal(await anon.locator('main form').count(), 0, 'the public has no forms');
    const sim = anon.locator('main table').last();
    assert.equal(await sim.locator('tbody tr').count(), 3, 'one row per confirmation rule');
    assert.equal(await sim.locator('tbody tr.current').count(), 1, 'one of them is the rule in force');
    assert.equal(await sim.locator('tbody tr').first().locator('.status').getAttribute('class'), 'status status-confirmed',
      'automatic confirmation would have confirmed it');
    await checkPage(t, anon, { html: saved, lang, label: 'rejected nomination, public', shot: shot('rejected'), phone: true });

    // --- France nominates again and withdraws ----------------------------------
    await visit(fra, `${L}/briefers/new`);
    await form().locator('#name').fill(`${tx.name} ${suffix} II`);
    await form().locator('#affiliation').fill(tx.affiliation);
    await form().locator('#dtg').selectOption('DTG-2');
    await form().locator('#meeting_date').fill(meetingDate);
    resp = await submitWith(fra, form().locator('button[type="submit"]'));
    assert.equal(resp.status(), 303);
    const second = pathOf(fra);
    const w = fra.locator(`main form[action="${second}/withdrawal"]`);
    await w.locator('#note').fill(tx.note);
    resp = await submitWith(fra, w.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'withdrawing answers 303');
    assert.equal(pathOf(fra), second);
    assert.equal(await fra.locator('main p .status').first().getAttribute('class'), 'status status-withdrawn');
    assert.ok((await mainText(fra)).includes(tx.note), 'the explanation is shown');
    assert.equal(await fra.locator('main form[action$="/withdrawal"]').count(), 0, 'nothing left to withdraw');
    await checkPage(t, fra, { html: saved, lang, label: 'withdrawn nomination', shot: shot('withdrawn'), phone: true });

    // --- the list shows both under their meeting --------------------------------
    await visit(anon, `${L}/briefers?dtg=DTG-2`);
    const rows = anon.locator('main table.briefers tbody tr');
    assert.ok(await rows.count() >= 2);
    const text = await mainText(anon);
    assert.ok(text.includes(name) && text.includes(msg(lang, 'briefers.state.withdrawn')), 'both nominations are listed with their state');
    await checkPage(t, anon, { html: saved, lang, label: 'DTG 2 briefers, public', shot: shot('list-dtg2'), phone: true });
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await validateSavedHTML(t, saved);
  }
}

// The demo round: the list and every nomination in it.
describe('demo briefer round', () => {
  const saved = [];
  for (const lang of LANGS) {
    test(`${lang} /briefers and each demo nomination`, async (t) => {
      const context = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
      try {
        const page = trackDocuments(await context.newPage());
        await visit(page, `/${lang}/briefers?dtg=DTG-1`);
        await checkPage(t, page, { html: saved, lang, label: `${lang} demo briefers`, shot: `brf-${lang}-demo-list`, phone: true });
        const states = await page.locator('main table.briefers tbody .status').evaluateAll((es) => es.map((e) => e.className));
        for (const s of ['status-confirmed', 'status-rejected', 'status-nominated']) {
          assert.ok(states.some((c) => c.includes(s)), `the demo round has a nomination with ${s}: ${states}`);
        }
        const hrefs = await page.locator('main table.briefers tbody th a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        for (const [i, href] of hrefs.slice(0, 6).entries()) {
          await visit(page, href);
          await checkPage(t, page, { html: saved, lang, label: `${lang} demo nomination ${href}`, shot: `brf-${lang}-demo-${i + 1}`, phone: i === 0 });
        }
      } finally {
        await context.close();
      }
    });
  }
  test('HTML validity (vnu) of the demo round', (t) => validateSavedHTML(t, saved));
});
