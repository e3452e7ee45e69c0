// Scenario-based exercises, in English and in Arabic: the Chair sets up a
// live tabletop exercise (every problem of an empty form at once, then the
// valid one) and adds two injects, one released at once and one later;
// France's delegate sees only the released inject, is told what is wrong
// with an empty answer and answers; Germany's delegate, not a participant,
// sees no inject; the public reads the demo exercise's published debrief
// and lessons but none of the States' responses. Pages are checked with axe
// at desktop and phone widths (390 px). Screenshots: exercises-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  env, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, trackDocuments, validateSavedHTML,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// The process's time zone, in which the form reads its instants.
const ZONE = 'America/New_York';
function local(instant) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

const field = (page, id) => page.locator(`main [id="${id}"]`);

test('an exercise is set up, run live and read as each role may', { timeout: 120_000 }, async (t) => {
  const saved = [];
  const chairCtx = await newContext(browser);
  const fraCtx = await newContext(browser);
  const deuCtx = await newContext(browser);
  const pubCtx = await newContext(browser);
  try {
    const chair = trackDocuments(await chairCtx.newPage());
    const fra = trackDocuments(await fraCtx.newPage());
    const deu = trackDocuments(await deuCtx.newPage());
    const pub = trackDocuments(await pubCtx.newPage());
    await signIn(chair, 'en', 'chair', env.chairPassword);
    const texts = {
      en: { title: 'Grid failure drill', inject: 'The capital loses power.', later: 'A group claims the outage.', answer: 'Our CERT contacts the grid operator.' },
      ar: { title: 'تمرين انقطاع الكهرباء', inject: 'تنقطع الكهرباء عن العاصمة.', later: 'جماعة تعلن مسؤوليتها.', answer: 'يتصل فريقنا بمشغل الشبكة.' },
    };
    for (const lang of ['en', 'ar']) {
      const L = `/${lang}`;
      const x = texts[lang];
      const shot = (s) => `exercises-${lang}-${s}`;

      // The Chair: an empty form reports every problem at once.
      await visit(chair, `${L}/exercises/new`);
      const form = chair.locator(`main form[action$="${L}/exercises"]`);
      let resp = await submitWith(chair, form.locator('button[type="submit"]'));
      assert.equal(resp.status(), 422, 'an empty exercise answers 422');
      const errors = await mainText(chair);
      for (const k of ['exercise.error.title', 'exercise.error.narrative', 'exercise.error.states', 'exercise.error.start']) {
        assert.ok(errors.includes(msg(lang, k)), `${k} is reported with the rest`);
      }
      await checkPage(t, chair, { html: saved, lang, label: 'exercise form with errors', shot: shot('01-form-errors'), phone: true });
      await field(chair, `title.${lang}`).fill(x.title);
      await field(chair, `narrative.${lang}`).fill('A **power grid** fails in winter.');
      await field(chair, 'states').fill('FRA, KEN');
      const now = Date.now();
      await field(chair, 'start').fill(local(new Date(now - 60_000)));
      await field(chair, 'end').fill(local(new Date(now + 2 * 3600_000)));
      resp = await submitWith(chair, form.locator('button[type="submit"]'));
      assert.equal(resp.status(), 303, 'the exercise is set up');
      assert.match(chair.url(), /\/exercises\/\d+$/, "the exercise's page follows");
      const url = new URL(chair.url()).pathname;
      for (const [offset, text] of [['0', x.inject], ['90', x.later]]) {
        const injectForm = chair.locator('main form[action$="/injects"]');
        await injectForm.locator('[name="offset"]').fill(offset);
        await injectForm.locator('[name="inject"]').fill(text);
        resp = await submitWith(chair, injectForm.locator('button[type="submit"]'));
        assert.equal(resp.status(), 303, `inject at ${offset} min is added`);
      }
      assert.equal(await chair.locator('main li.inject').count(), 2, 'the facilitator sees both injects');
      await checkPage(t, chair, { html: saved, lang, label: 'exercise as facilitator', shot: shot('02-facilitator'), phone: true });

      // France takes part: it sees the released inject only, and answers.
      await signIn(fra, lang, 'delegate-fra', env.delegatePassword);
      await visit(fra, url);
      let text = await mainText(fra);
      assert.ok(text.includes(x.inject), 'the released inject is shown');
      assert.ok(!text.includes(x.later), 'the later inject is not shown before its release');
      const answer = fra.locator('main li.inject form');
      resp = await submitWith(fra, answer.locator('button[type="submit"]'));
      assert.equal(resp.status(), 422, 'an empty answer answers 422');
      assert.ok((await mainText(fra)).includes(msg(lang, 'exercise.error.response_text')), 'the answer form says what is wrong');
      await checkPage(t, fra, { html: saved, lang, label: 'answer with an error', shot: shot('03-answer-error'), phone: true });
      await fra.locator('main li.inject textarea[name="response"]').fill(x.answer);
      resp = await submitWith(fra, fra.locator('main li.inject form button[type="submit"]'));
      assert.equal(resp.status(), 303, 'the answer is saved');
      text = await mainText(fra);
      assert.ok(text.includes(msg(lang, 'exercise.response_saved')) && text.includes(x.answer), 'the answer is shown with the others');
      await checkPage(t, fra, { html: saved, lang, label: 'exercise as participant', shot: shot('04-participant'), phone: true });

      // Germany does not take part: no inject, no answer.
      await signIn(deu, lang, 'delegate-deu', env.delegateDeuPassword);
      await visit(deu, url);
      text = await mainText(deu);
      assert.ok(!text.includes(x.inject) && !text.includes(x.answer), 'a non-participant sees neither injects nor answers');
      assert.ok(text.includes(msg(lang, 'exercise.restricted')), 'and is told why');

      // The public reads the demo exercise's published debrief and lessons,
      // not the States' responses.
      await visit(pub, `${L}/exercises`);
      await pub.locator('main table a').filter({ hasText: lang === 'ar' ? 'برمجية فدية' : 'Ransomware' }).click();
      await pub.waitForURL(/\/exercises\/\d+$/);
      text = await mainText(pub);
      assert.ok(text.includes('Every State nominates an alternate technical POC'), 'the lessons are public');
      assert.ok(!text.includes('We advise against attribution'), "the States' responses are not");
      await checkPage(t, pub, { html: saved, lang, label: 'published exercise, public', shot: shot('05-public'), phone: true });
    }
  } finally {
    for (const c of [chairCtx, fraCtx, deuCtx, pubCtx]) await c.close();
  }
  await validateSavedHTML(t, saved);
});
