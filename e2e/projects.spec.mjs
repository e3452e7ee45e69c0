// The portal's projects, principles checklist and events calendar, in
// English and in Arabic: the public reads the catalogue and the project
// made from Kenya and France's agreed match, with its checklist in three
// groups; France's delegate (a provider of that project) edits it: an
// emptied form reports every problem at once and keeps the checklist, the
// fixed one is saved with a new answer; the calendar lists the demo's
// events and its iCalendar feed is served. Pages are checked with axe at
// desktop and phone widths (390 px). Screenshots: projects-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  env, LANGS, BASE_URL, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, trackDocuments, validateSavedHTML,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const field = (page, id) => page.locator(`main [id="${id}"]`);

test('projects, the principles checklist and the events calendar', { timeout: 120_000 }, async (t) => {
  const saved = [];
  const ctx = await newContext(browser);
  try {
    const page = trackDocuments(await ctx.newPage());
    for (const lang of LANGS) {
      const L = `/${lang}`;
      const shot = (s) => `projects-${lang}-${s}`;
      await visit(page, `${L}/portal/projects`);
      const rows = page.locator('main table tbody tr');
      assert.ok(await rows.count() >= 2, 'the catalogue lists the demo projects');
      await checkPage(t, page, { html: saved, lang, label: 'projects catalogue', shot: shot('01-catalogue'), phone: true });

      await page.locator('main table a', { hasText: 'Incident-response course' }).first().click();
      await page.waitForURL(/\/portal\/projects\/\d+$/);
      const projectURL = new URL(page.url()).pathname;
      const text = await mainText(page);
      assert.ok(text.includes(msg(lang, 'project.group.partnerships')), 'the checklist is grouped');
      assert.ok(text.includes('Requested by Kenya'), 'a principle carries its note');
      assert.ok(await page.locator('main a[href*="/portal/needs/"]').count() === 1, 'the public need it came from is linked');
      await checkPage(t, page, { html: saved, lang, label: 'project page', shot: shot('02-project'), phone: true });

      await visit(page, `${L}/portal/events`);
      assert.ok((await mainText(page)).includes('Global Roundtable'), 'the calendar lists the roundtable');
      await checkPage(t, page, { html: saved, lang, label: 'events calendar', shot: shot('03-events'), phone: true });
      const ics = await fetch(`${BASE_URL}${L}/portal/events.ics`);
      assert.equal(ics.status, 200);
      assert.match(ics.headers.get('content-type'), /^text\/calendar/);
      assert.match(await ics.text(), /^BEGIN:VCALENDAR\r\n[\s\S]*UID:portal-event-/, 'the feed is iCalendar');

      await signIn(page, lang, 'delegate-fra', env.delegatePassword);
      await visit(page, `${projectURL}/edit`);
      const form = page.locator(`main form[action$="${projectURL}"]`);
      await field(page, 'title').fill('');
      await field(page, 'description').fill('');
      await field(page, 'from').fill('');
      let resp = await submitWith(page, form.locator('button[type="submit"]'));
      assert.equal(resp.status(), 422, 'an emptied project answers 422');
      const errs = await mainText(page);
      for (const k of ['portal.error.title', 'portal.error.description', 'portal.error.from']) {
        assert.ok(errs.includes(msg(lang, k)), `${k} is reported with the rest`);
      }
      assert.equal(await page.locator('main input[name="rating.demand"][value="addressed"]').isChecked(), true, 'the checklist is kept');
      await checkPage(t, page, { html: saved, lang, label: 'project form with errors', shot: shot('04-form-errors'), phone: true });

      await field(page, 'title').fill(lang === 'ar' ? 'دورة الاستجابة للحوادث' : 'Incident-response course for CERT teams');
      await field(page, 'description').fill('Hospital IT staff, **fifteen** participants.');
      await field(page, 'from').fill('2027-03-01');
      await page.locator('main input[name="rating.trust"][value="partly"]').check();
      await page.locator('main [id="note.trust"]').fill(lang === 'ar' ? 'اجتماعات شهرية' : 'Monthly meetings');
      resp = await submitWith(page, form.locator('button[type="submit"]'));
      assert.equal(resp.status(), 303, 'the project is saved');
      assert.ok((await mainText(page)).includes(lang === 'ar' ? 'اجتماعات شهرية' : 'Monthly meetings'), 'the new answer is shown');
      await ctx.clearCookies();
    }
  } finally {
    await ctx.close();
  }
  await validateSavedHTML(t, saved);
});
