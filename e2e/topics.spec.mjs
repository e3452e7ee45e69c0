// DTG topics, end to end, in English and in Arabic: the Chair opens a topic
// round for the first thematic group (a malformed term first), France's and
// Germany's delegates, the Chair and the Secretariat (for Egypt) suggest
// topics, the Chair opens the preference survey, France ranks two topics the
// same (refused, its ranks kept) and then answers, Germany answers and the
// Secretariat records Senegal's answer; the public sees interim results per
// State and with equal weight per regional group, with an accessible chart.
// The server is then restarted with its clock past the survey's deadline: a
// late answer is refused (API), the results are final, and the Chair proposes
// the topics from the survey's advice, which opens the decision; the Chair
// decides there and the round shows the outcome. The demo survey (where
// weighting changes the first topic) is checked too.
//
// Each language runs on its own server and copy of the seeded database.
// Screenshots: output/screenshots/topics-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  env, LANGS, ARABIC_RE, launchBrowser, newContext, submitWith, confirmWith, signIn, visit, checkPage, mainText, msg, localDate,
  api, apiToken, workDir, copyTemplateDB, ConcordServer, trackDocuments, validateSavedHTML,
} from './lib.mjs';

const TZ = 'America/New_York';
const DAY = 24 * 3600 * 1000;
const MARGIN_S = 600;

const TEXT = {
  en: {
    fra: 'Protection of critical infrastructure',
    deu: 'Ransomware against hospitals and essential services',
    chair: 'Security of submarine cables',
    egy: 'Security of ICT supply chains',
  },
  ar: {
    fra: 'حماية البنية التحتية الحيوية',
    deu: 'برمجيات الفدية ضد المستشفيات والخدمات الأساسية',
    chair: 'أمن الكابلات البحرية',
    egy: 'أمن سلاسل إمداد تكنولوجيا المعلومات والاتصالات',
  },
};

const pathOf = (page) => new URL(page.url()).pathname;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// The two journeys and the demo checks run side by side (the suite gives
// each file three minutes).
describe('topic rounds', { concurrency: true }, () => {
  for (const lang of LANGS) {
    test(`${lang}: round, suggestions, survey, ballots, results, proposal, decision`, { timeout: 300_000 }, (t) => journey(t, lang));
  }
  for (const lang of LANGS) {
    test(`${lang}: demo survey and list`, (t) => demo(t, lang));
  }
});

// The accessible chart: <title> and <desc> named by aria-labelledby.
async function chartOf(page) {
  return page.locator('main svg[role="img"]').evaluate((s) => {
    const kid = (name) => [...s.children].find((c) => c.localName === name);
    const ttl = kid('title'), desc = kid('desc');
    return {
      title: ttl?.textContent.trim() ?? null, titleId: ttl?.id ?? null, desc: desc?.textContent.trim() ?? null, descId: desc?.id ?? null,
      labelledby: s.getAttribute('aria-labelledby'), direction: s.getAttribute('direction'),
    };
  });
}

async function journey(t, lang) {
  const L = `/${lang}`;
  const tx = TEXT[lang];
  let shotN = 0;
  const shot = (step) => `topics-${lang}-${String(++shotN).padStart(2, '0')}-${step}`;
  const dir = path.join(workDir(), `topics-${lang}`);
  const db = copyTemplateDB(dir);
  const server = await ConcordServer.create({ name: `topics-${lang}`, db });
  const contexts = [];
  const saved = [];
  try {
    await server.start();
    const base = server.baseURL;
    const newPage = async () => {
      const c = await newContext(browser, { baseURL: base, locale: lang === 'ar' ? 'ar' : 'en-US' });
      contexts.push(c);
      return trackDocuments(await c.newPage());
    };
    const chair = await newPage();
    const fra = await newPage();
    const deu = await newPage();
    const admin = await newPage();
    const anon = await newPage();

    // --- the Chair opens a round ---------------------------------------------
    await signIn(chair, lang, 'chair', env.chairPassword);
    await visit(chair, `${L}/topics`);
    await checkPage(t, chair, { html: saved, lang, label: 'topic rounds as the Chair', shot: shot('list-chair') });
    const open = chair.locator('main form[action$="/topics"]');
    await open.evaluate((f) => { f.noValidate = true; });
    await open.locator('#dtg').selectOption('DTG-1');
    await open.locator('#term').fill('2027-2029');
    let resp = await submitWith(chair, open.locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a term of two non-consecutive years answers 422');
    await t.test('the malformed term is marked, explained and kept', async () => {
      const f = chair.locator('main #term');
      assert.equal(await f.getAttribute('aria-invalid'), 'true');
      const ids = ((await f.getAttribute('aria-describedby')) ?? '').split(/\s+/);
      assert.ok(ids.includes('term-err'), `#term names its error (aria-describedby="${ids.join(' ')}")`);
      assert.equal((await chair.locator('main #term-err').innerText()).trim(), msg(lang, 'topics.error.term'));
      assert.equal(await f.inputValue(), '2027-2029');
    });
    await checkPage(t, chair, { html: saved, lang, label: 'topic rounds with a form error', shot: shot('list-error') });
    await open.locator('#term').fill('2027-2028');
    resp = await submitWith(chair, open.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'opening the round answers 303');
    const m = pathOf(chair).match(new RegExp(`^${L}/topics/(\\d+)$`));
    assert.ok(m, `after opening, the browser is on the round (${chair.url()})`);
    const url = `${L}/topics/${m[1]}`;
    const id = m[1];
    assert.ok((await mainText(chair, 'dl.facts')).includes(msg(lang, 'topics.phase.suggestions')), 'the round collects suggestions');

    // --- suggestions ------------------------------------------------------------
    const suggest = async (page, title, by) => {
      const f = page.locator('main form[action$="/suggestions"]');
      if (by) await f.locator('#by').selectOption(by);
      await f.locator('#title').fill(title);
      const r = await submitWith(page, f.locator('button[type="submit"]'));
      assert.equal(r.status(), 303, `suggesting "${title}" answers 303`);
    };
    await signIn(fra, lang, 'delegate-fra', env.delegatePassword);
    await visit(fra, url);
    assert.equal(await fra.locator('main form[action$="/suggestions"] select#by').count(), 0, 'a delegate suggests for its own State only');
    await suggest(fra, tx.fra);
    await signIn(deu, lang, 'delegate-deu', env.delegateDeuPassword);
    await visit(deu, url);
    await suggest(deu, tx.deu);
    await visit(chair, url);
    await suggest(chair, tx.chair);
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, url);
    // The same title again is refused, what was typed kept.
    const sf = admin.locator('main form[action$="/suggestions"]');
    await sf.locator('#by').selectOption('EGY');
    await sf.locator('#title').fill(tx.fra);
    resp = await submitWith(admin, sf.locator('button[type="submit"]'));
    assert.equal(resp.status(), 409, 'a title already suggested answers 409');
    assert.equal((await admin.locator('main #title-err').innerText()).trim(), msg(lang, 'topics.error.duplicate_title'));
    assert.equal(await admin.locator('main #by').inputValue(), 'EGY', 'the chosen State is kept');
    await checkPage(t, admin, { html: saved, lang, label: 'round as the Secretariat, duplicate title', shot: shot('round-duplicate') });
    await suggest(admin, tx.egy, 'EGY');
    const rows = await admin.locator('main table:has(caption#sug-caption) tbody tr').count();
    assert.equal(rows, 4, 'four suggestions');

    // --- the survey --------------------------------------------------------------
    await visit(chair, url);
    const today = localDate(Date.now(), TZ);
    const deadlineDate = localDate(Date.parse(`${today}T12:00:00Z`) + 3 * DAY, TZ);
    const sv = chair.locator('main form[action$="/survey"]');
    assert.equal(await sv.count(), 1, 'the Chair can open the survey');
    assert.ok((await sv.innerText()).includes(TZ), `the deadline is entered in ${TZ}`);
    await sv.locator('#deadline_date').fill(deadlineDate);
    await sv.locator('#deadline_time').fill('18:00');
    resp = await submitWith(chair, sv.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'opening the survey answers 303');
    assert.equal(await chair.locator('main form[action$="/suggestions"]').count(), 0, 'suggestions are closed');

    // France: two topics ranked first is refused, its ranks kept.
    await visit(fra, url);
    const bf = () => fra.locator('main form[action$="/ballots"]');
    assert.equal(await bf().locator('select#state').count(), 0, 'a delegate answers for its own State only');
    await checkPage(t, fra, { html: saved, lang, label: 'ballot form as a delegate', shot: shot('ballot-delegate'), phone: true });
    await bf().locator('#rank_t1').selectOption('1');
    await bf().locator('#rank_t2').selectOption('1');
    resp = await submitWith(fra, bf().locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'two topics ranked first answers 422');
    await t.test('the duplicate rank is explained at the ranking and the ranks are kept', async () => {
      const fs = fra.locator('main fieldset#ranking');
      assert.equal(await fs.getAttribute('aria-describedby'), 'ranking-err');
      assert.equal((await fra.locator('main #ranking-err').innerText()).trim(), msg(lang, 'topics.error.duplicate_rank'));
      assert.equal(await bf().locator('#rank_t1').inputValue(), '1');
      assert.equal(await bf().locator('#rank_t2').inputValue(), '1');
    });
    await checkPage(t, fra, { html: saved, lang, label: 'ballot form with an error', shot: shot('ballot-error') });
    await bf().locator('#rank_t1').selectOption('1');
    await bf().locator('#rank_t2').selectOption('2');
    resp = await submitWith(fra, bf().locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'France’s answer answers 303');
    const mine = await mainText(fra, '.my-ballot');
    assert.ok(mine.includes(tx.fra) && mine.includes(tx.deu), `France sees its own answer (${mine})`);
    assert.equal(await bf().locator('#rank_t1').inputValue(), '1', 'the form shows France’s current ranks');

    await visit(deu, url);
    await deu.locator('main #rank_t1').selectOption('1');
    await deu.locator('main #rank_t2').selectOption('2');
    resp = await submitWith(deu, deu.locator('main form[action$="/ballots"] button[type="submit"]'));
    assert.equal(resp.status(), 303, 'Germany’s answer answers 303');

    await visit(admin, url);
    const af = admin.locator('main form[action$="/ballots"]');
    await af.locator('#state').selectOption('SEN');
    await af.locator('#rank_t2').selectOption('1');
    resp = await submitWith(admin, af.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the Secretariat records Senegal’s answer');

    // --- interim results, public ------------------------------------------------------
    await visit(anon, url);
    assert.equal((await anon.locator('main h2#results').innerText()).trim(), msg(lang, 'topics.results_interim'));
    assert.ok((await mainText(anon, 'p.notice')).length > 0, 'the page says the figures are interim');
    for (const cap of ['per-state-caption', 'per-group-caption', 'turnout-caption']) {
      assert.equal(await anon.locator(`main table caption#${cap}`).count(), 1, `table with caption ${cap}`);
    }
    const c = await chartOf(anon);
    assert.equal(c.title, msg(lang, 'topics.chart_title'));
    assert.deepEqual((c.labelledby ?? '').split(/\s+/), [c.titleId, c.descId]);
    assert.ok(c.desc.includes(msg(lang, 'topics.chart_weighted')), 'the description gives the weighted figures in words');
    assert.equal(c.direction, lang === 'ar' ? 'rtl' : 'ltr', 'the chart is mirrored in Arabic');
    if (lang === 'ar') assert.ok(ARABIC_RE.test(c.desc));
    await checkPage(t, anon, { html: saved, lang, label: 'round with interim results, public', shot: shot('interim-public'), phone: true });

    // --- past the deadline ---------------------------------------------------------
    const round = (await api(base, 'GET', `/topics/${id}`)).json;
    const offset = Math.ceil((Date.parse(round.survey.deadline) - Date.now()) / 1000) + MARGIN_S;
    await server.restart({ clockOffset: `${offset}s` });
    t.diagnostic(`${lang}: server restarted with --clock-offset ${offset}s (past the deadline ${round.survey.deadline})`);
    const fraToken = await apiToken(base, 'delegate-fra', env.delegatePassword);
    const late = await api(base, 'POST', `/topics/${id}/ballots?lang=${lang}`, { token: fraToken, body: { ranking: ['t4'] } });
    assert.equal(late.status, 409, `a late answer is refused: ${late.text}`);
    assert.equal(late.json.error.field, 'at');
    assert.equal(late.json.error.message, msg(lang, 'decision.error.late'));
    const tally = (await api(base, 'GET', `/topics/${id}/tally`)).json;
    assert.equal(tally.interim, false);
    assert.deepEqual(tally.advice, ['t2', 't1'], 'with equal weight per group, Senegal’s answer puts Germany’s topic first');

    await signIn(chair, lang, 'chair', env.chairPassword); // the 12-hour sessions have expired
    await visit(chair, url);
    assert.equal((await chair.locator('main h2#results').innerText()).trim(), msg(lang, 'topics.results'));
    const pf = chair.locator('main form[action$="/proposal"]');
    assert.equal(await pf.count(), 1, 'the Chair can propose');
    assert.ok(await pf.locator('input[value="t1"]').isChecked() && await pf.locator('input[value="t2"]').isChecked(), 'pre-filled from the advice');
    assert.ok(!(await pf.locator('input[value="t3"]').isChecked()));
    await checkPage(t, chair, { html: saved, lang, label: 'round with final results as the Chair', shot: shot('final-chair') });
    resp = await submitWith(chair, pf.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'proposing answers 303');
    assert.match(pathOf(chair), new RegExp(`^${L}/decisions/\\d+$`), 'the proposal opens the decision');
    assert.equal(await chair.locator(`main a[href="${url}"]`).count(), 1, 'the decision links back to the round');
    const proposal = await mainText(chair, 'blockquote');
    assert.ok(proposal.includes(tx.fra) && proposal.includes(tx.deu), `the decision's proposal lists the topics (${proposal})`);
    await checkPage(t, chair, { html: saved, lang, label: 'decision on the topics', shot: shot('decision') });
    const act = chair.locator('main form[action$="/acts"]');
    await act.locator('input[type="radio"][value="decide"]').check();
    resp = await confirmWith(chair, act.locator('button[type="submit"]'), 'the Chair’s decision');
    assert.equal(resp.status(), 303, 'the Chair decides');

    await visit(anon, url);
    assert.equal(await anon.locator('main strong.outcome').getAttribute('class'), 'outcome outcome-adopted', 'the round shows the adopted outcome');
    assert.ok((await mainText(anon)).includes(msg(lang, 'topics.followed_advice')), 'the round says the proposal followed the advice');
    await checkPage(t, anon, { html: saved, lang, label: 'round with the adopted topics, public', shot: shot('adopted-public'), phone: true });
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await server.stop();
    await validateSavedHTML(t, saved);
  }
}

// The demo survey: weighting by regional group changes the first topic.
async function demo(t, lang) {
  const saved = [];
  const context = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
  try {
    const page = trackDocuments(await context.newPage());
    await visit(page, `/${lang}/topics`);
    await checkPage(t, page, { html: saved, lang, label: `${lang} topic rounds`, shot: `topics-${lang}-demo-list`, phone: true });
    const href = await page.locator('main table tbody tr:has-text("2026-2027") a').last().getAttribute('href');
    await visit(page, href);
    assert.equal(await page.locator('main .top-changed').count(), 1, 'the page highlights that weighting changes the first topic');
    assert.equal(await page.locator('main table.tally-points tbody tr').count(), 8, 'eight topics in the per-State tally');
    await checkPage(t, page, { html: saved, lang, label: `${lang} demo survey`, shot: `topics-${lang}-demo-survey`, phone: true });
  } finally {
    await context.close();
    await validateSavedHTML(t, saved);
  }
}
