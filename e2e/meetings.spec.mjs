// The process's calendar. The Secretariat adds a meeting through the form:
// an end before the start and an unknown time zone come back together at 422
// with what was typed; the corrected form is saved (303). The public then
// finds the meeting among the upcoming ones, in English and in Arabic, reads
// it with its times in the venue's zone, and the calendar feed lists it.
// Pages are checked with axe at desktop and phone widths. Screenshots:
// meeting-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  env, ARABIC_RE, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, get,
  trackDocuments, validateSavedHTML,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const field = (page, id) => page.locator(`main [id="${id}"]`);

test('the Secretariat adds a meeting; the public finds it in English and Arabic', { timeout: 180_000 }, async (t) => {
  const tag = randomBytes(2).toString('hex');
  const title = { en: `Informal consultation ${tag}`, ar: `مشاورة غير رسمية ${tag}` };
  const saved = [];
  const sec = await newContext(browser);
  const pub = await newContext(browser, { locale: 'ar' });
  try {
    const page = trackDocuments(await sec.newPage());
    await signIn(page, 'en', 'admin', env.adminPassword);
    await visit(page, '/en/meetings/new');
    await field(page, 'body').selectOption('chair');
    await field(page, 'kind').selectOption('informal-consultation');
    await field(page, 'title.en').fill(title.en);
    await field(page, 'title.ar').fill(title.ar);
    await field(page, 'zone').fill('Mars/Base');
    await field(page, 'start').fill('2031-02-10T10:00');
    await field(page, 'end').fill('2031-02-10T09:00');
    await field(page, 'room').fill('Conference Room 7');
    const form = page.locator('main form[action$="/meetings"]');
    let resp = await submitWith(page, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'bad input answers 422');
    assert.ok((await mainText(page)).includes(msg('en', 'meeting.error.zone')), 'the unknown zone is explained');
    assert.ok((await mainText(page)).includes(msg('en', 'meeting.error.end_before_start')), 'the end before the start too, at once');
    assert.equal(await field(page, 'title.ar').inputValue(), title.ar, 'the Arabic title is kept');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'meeting form with errors', shot: 'meeting-en-01-form-errors' });

    await field(page, 'zone').fill('America/New_York');
    await field(page, 'end').fill('2031-02-10T13:00');
    resp = await submitWith(page, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the corrected meeting is saved');
    const id = new URL(page.url()).pathname.match(/^\/en\/meetings\/(\d+)$/)?.[1];
    assert.ok(id, `redirected to the meeting: ${page.url()}`);
    assert.ok((await mainText(page)).includes('2031-02-10 10:00 New York (UTC−5)'), 'the start in the venue’s zone, labelled');

    const reader = trackDocuments(await pub.newPage());
    for (const lang of ['en', 'ar']) {
      await visit(reader, `/${lang}/meetings`);
      const upcoming = await mainText(reader, 'ul.meetings');
      assert.ok(upcoming.includes(title[lang]), `${lang}: the meeting is among the upcoming ones`);
      if (lang === 'ar') assert.ok(ARABIC_RE.test(upcoming));
      await checkPage(t, reader, { html: saved, lang, label: `${lang} calendar`, shot: `meeting-${lang}-02-list`, phone: true });
    }
    await reader.locator(`main a[href="/ar/meetings/${id}"]`).click();
    await reader.waitForLoadState('load');
    const text = await mainText(reader);
    assert.ok(text.includes(title.ar) && text.includes(msg('ar', 'meeting.kind.informal-consultation')), 'the meeting in Arabic');
    assert.equal(await reader.locator('main time[datetime="2031-02-10T15:00:00Z"]').count(), 1, 'the start as an instant');
    await checkPage(t, reader, { html: saved, lang: 'ar', label: 'ar meeting', shot: 'meeting-ar-03-page', phone: true });

    const feed = await get('/ar/calendar/chair.ics');
    assert.equal(feed.status, 200);
    const ics = (await feed.text()).replace(/\r\n /g, '');
    assert.ok(ics.includes(`UID:meeting-${id}.`) && ics.includes(`SUMMARY:${title.ar}`), 'the Chair’s feed lists the meeting in Arabic');
  } finally {
    await sec.close();
    await pub.close();
    await validateSavedHTML(t, saved);
  }
});
