// Decisions under the rules of procedure, in English and in Arabic: the
// Chair proposes a decision (consensus, "proceed informally"), France objects
// with a statement, the Secretariat records Canada's support, the Chair takes
// the decision; the page then shows "not adopted", the accessible SVG chart,
// the positions table and the simulation under the six modalities. The demo
// decisions are checked in decisions-demo.spec.mjs: each spec file has the
// suite's time budget (--test-timeout applies to a file as a whole), and the
// two together need more than one on a busy machine.
// Runs against the suite's shared server (BASE_URL). Screenshots: dec-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  env, LANGS, ARABIC_RE, launchBrowser, newContext, submitWith, confirmWith, signIn, visit, checkPage, mainText, msg,
  trackDocuments, validateSavedHTML,
} from './lib.mjs';

const TEXT = {
  en: {
    title: 'Programme of work of the second substantive session',
    proposal: 'The Global Mechanism adopts the programme of work as circulated by the Chair.',
    objection: 'France cannot join consensus: the programme gives too little time to capacity-building.',
    support: 'Canada supports the programme of work.',
  },
  ar: {
    title: 'برنامج عمل الدورة الموضوعية الثانية',
    proposal: 'تعتمد الآلية العالمية برنامج العمل بالصيغة التي عمّمها الرئيس.',
    objection: 'لا يمكن لفرنسا الانضمام إلى توافق الآراء: يخصص البرنامج وقتًا قليلًا لبناء القدرات.',
    support: 'تؤيد كندا برنامج العمل.',
  },
};

const pathOf = (page) => new URL(page.url()).pathname;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('a decision from proposal to outcome', () => {
  for (const lang of LANGS) {
    test(`${lang}: the Chair proposes, France objects, Canada supports (recorded by the Secretariat), the Chair decides`,
      { timeout: 180_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const tx = TEXT[lang];
  const title = `${tx.title} (${randomBytes(2).toString('hex')})`;
  let shotN = 0;
  const shot = (step) => `dec-${lang}-${String(++shotN).padStart(2, '0')}-${step}`;
  const contexts = [];
  const saved = []; // the HTML of every page checked, for vnu at the end
  const newPage = async () => {
    const c = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
    contexts.push(c);
    return trackDocuments(await c.newPage());
  };
  try {
    const chair = await newPage();
    const fra = await newPage();
    const admin = await newPage();
    const anon = await newPage();

    // --- the Chair proposes ------------------------------------------------
    await signIn(chair, lang, 'chair', env.chairPassword);
    await visit(chair, `${L}/decisions`);
    const form = () => chair.locator('main form[action$="/decisions"]');
    assert.equal(await form().count(), 1, 'the Chair has the proposal form');
    await checkPage(t, chair, { html: saved, lang, label: 'decisions list as the Chair', shot: shot('list-chair'), phone: true });

    // A proposal without a title, and a period that is not a number: the
    // server's validation answers, so the browser's own is switched off.
    await form().evaluate((f) => { f.noValidate = true; });
    await form().locator('#proposal').fill(tx.proposal);
    let resp = await submitWith(chair, form().locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a proposal without a title answers 422');
    await t.test('the missing title is marked and explained', async () => {
      const f = chair.locator('main #title');
      assert.equal(await f.getAttribute('aria-invalid'), 'true', '#title aria-invalid');
      const by = (await f.getAttribute('aria-describedby')) ?? '';
      assert.ok(by, '#title has aria-describedby');
      assert.equal((await chair.locator(`[id="${by}"]`).innerText()).trim(), msg(lang, 'error.required'));
      assert.equal(await chair.locator('main #proposal').inputValue(), tx.proposal, 'the typed proposal is kept');
    });
    await checkPage(t, chair, { html: saved, lang, label: 'decisions list with a form error', shot: shot('list-error') });

    await form().evaluate((f) => { f.noValidate = true; });
    await form().locator('#title').fill(title);
    await form().locator('#period').fill('soon');
    resp = await submitWith(chair, form().locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a period that is not a number answers 422');
    await t.test('the malformed period is marked and its error is tied to the field', async () => {
      const f = chair.locator('main #period');
      assert.equal(await f.getAttribute('aria-invalid'), 'true', '#period aria-invalid');
      const by = (await f.getAttribute('aria-describedby')) ?? '';
      const err = await chair.locator('main #period ~ .field-error').evaluate((e) => e.outerHTML).catch(() => '(none)');
      assert.ok(by && await chair.locator(`[id="${by.split(/\s+/)[0]}"]`).count() === 1,
        `#period must name its error message with aria-describedby (WCAG 1.3.1, 3.3.1), as #title does; got aria-describedby="${by}", error element: ${err}`);
    });

    await form().evaluate((f) => { f.noValidate = true; });
    await form().locator('#title').fill(title);
    await form().locator('#proposal').fill(tx.proposal);
    await form().locator('#period').fill('');
    await form().locator('#kind').selectOption('generic');
    await form().locator('#modality').selectOption('consensus');
    await form().locator('input[type="checkbox"][name="informally"]').check();
    resp = await submitWith(chair, form().locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'proposing answers 303');
    const m = pathOf(chair).match(new RegExp(`^${L}/decisions/(\\d+)$`));
    assert.ok(m, `after proposing the browser is on the decision page (${chair.url()})`);
    const url = `${L}/decisions/${m[1]}`;
    assert.equal((await chair.locator('main h1').innerText()).trim(), title);
    assert.equal(await chair.locator('main strong.outcome').getAttribute('class'), 'outcome outcome-pending', 'the outcome is pending');
    assert.equal(await chair.locator('main form[action$="/acts"]').count(), 1, 'the Chair has the act form');
    await checkPage(t, chair, { html: saved, lang, label: 'decision as the Chair', shot: shot('decision-chair') });

    // --- France objects -----------------------------------------------------
    await signIn(fra, lang, 'delegate-fra', env.delegatePassword);
    await visit(fra, url);
    const pos = fra.locator('main form[action$="/positions"]');
    assert.equal(await pos.count(), 1, 'the delegate has the position form');
    assert.equal(await pos.locator('select[name="actor"]').count(), 0, 'a delegate speaks for its own State only (no actor select)');
    await checkPage(t, fra, { html: saved, lang, label: 'decision as a delegate', shot: shot('decision-delegate') });
    await pos.locator('#kind').selectOption('objection');
    await pos.locator('#ptext').fill(tx.objection);
    resp = await confirmWith(fra, pos.locator('button[type="submit"]'), 'the objection');
    assert.equal(resp.status(), 303, 'the objection answers 303');
    assert.equal(pathOf(fra), url);

    // --- the Secretariat records Canada's support -----------------------------
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, url);
    const apos = admin.locator('main form[action$="/positions"]');
    assert.equal(await apos.locator('select#actor').count(), 1, 'the Secretariat chooses whose position it records');
    await checkPage(t, admin, { html: saved, lang, label: 'decision as the Secretariat', shot: shot('decision-secretariat') });
    await apos.locator('#actor').selectOption('CAN');
    await apos.locator('#kind').selectOption('support');
    await apos.locator('#ptext').fill(tx.support);
    resp = await submitWith(admin, apos.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'recording Canada’s support answers 303');

    // --- the Chair takes the decision -----------------------------------------
    await visit(chair, url);
    const act = chair.locator('main form[action$="/acts"]');
    await act.locator('input[type="radio"][name="kind"][value="decide"]').check();
    resp = await confirmWith(chair, act.locator('button[type="submit"]'), 'the Chair’s decision');
    assert.equal(resp.status(), 303, 'the Chair’s act answers 303');

    // --- the outcome, as the public sees it -----------------------------------
    await visit(anon, url);
    const outcome = anon.locator('main strong.outcome');
    assert.equal(await outcome.getAttribute('class'), 'outcome outcome-not_adopted', 'an objection under consensus: not adopted');
    assert.equal((await outcome.innerText()).trim(), msg(lang, 'outcome.not_adopted'));
    assert.ok((await mainText(anon, 'dl.facts')).includes(msg(lang, 'decisions.proceed_informally')), 'the meeting proceeds informally');

    const chart = anon.locator('main svg[role="img"]');
    assert.equal(await chart.count(), 1, 'one chart (svg role=img)');
    const svg = await chart.evaluate((s) => {
      const kid = (name) => [...s.children].find((c) => c.localName === name);
      const ttl = kid('title'), desc = kid('desc');
      return {
        title: ttl?.textContent.trim() ?? null, titleId: ttl?.id ?? null,
        desc: desc?.textContent.trim() ?? null, descId: desc?.id ?? null,
        labelledby: s.getAttribute('aria-labelledby'),
      };
    });
    assert.ok(svg.title, 'the chart has a <title>');
    assert.ok(svg.desc, 'the chart has a <desc>');
    assert.equal(svg.title, msg(lang, 'decisions.chart_title'));
    assert.deepEqual((svg.labelledby ?? '').split(/\s+/), [svg.titleId, svg.descId], 'aria-labelledby names the <title> and the <desc>');
    assert.ok(svg.desc.includes(msg(lang, 'stance.object')) && svg.desc.includes(msg(lang, 'stance.agree')),
      `the description says in words who objected and who agreed: "${svg.desc}"`);
    if (lang === 'ar') assert.ok(ARABIC_RE.test(svg.desc), 'the Arabic description is in Arabic');

    const row = (iso3) => anon.locator(`main table.positions tbody tr:has(a[href="${L}/states/${iso3}"])`);
    assert.equal(await row('FRA').count(), 1, 'France is in the positions table');
    assert.equal(await row('FRA').locator('td.pos-text-object').count(), 1, 'France objected');
    assert.ok((await row('FRA').innerText()).includes(tx.objection), 'with its statement');
    assert.equal(await row('CAN').count(), 1, 'Canada is in the positions table');
    assert.equal(await row('CAN').locator('td.pos-text-agree').count(), 1, 'Canada agreed');
    assert.ok((await row('CAN').innerText()).includes(msg(lang, 'position.support')));
    assert.equal(await anon.locator('main table.positions tbody tr').count(), 2, 'only the States that spoke are rows');

    const sim = anon.locator('main table').last();
    assert.equal(await sim.locator('tbody tr').count(), 6, 'the simulation has one row per modality (six)');
    assert.equal(await sim.locator('tbody tr.current').count(), 1, 'one row is the modality in force');
    assert.ok((await sim.locator('tbody tr.current').innerText()).includes(msg(lang, 'modality.consensus')));
    await checkPage(t, anon, { html: saved, lang, label: 'decided decision, public', shot: shot('decision-outcome'), phone: true });
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await validateSavedHTML(t, saved);
  }
}
