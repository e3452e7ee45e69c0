// The meeting day (issue 12), through the browser's forms only. The
// Secretariat adds today's meeting (the demo's are not under way now, and a
// statement is delivered during its meeting); a delegate of France
// inscribes France on its list of speakers, and inscribing again, from the
// Arabic page, answers the Arabic error. The Secretariat opens the meeting
// and marks that France spoke (time and text): the statement is on the
// meeting's page and in France's record. The Secretariat publishes a
// document for the meeting in English and Arabic, after a misnamed file is
// refused. The public reads the meeting and the document in Arabic and
// finds the document by search in English and Arabic. English pages at
// desktop width, Arabic ones at 390 px as well, with axe. Screenshots:
// day-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  env, ARABIC_RE, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg,
  trackDocuments, validateSavedHTML, formTo,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const field = (page, id) => page.locator(`main [id="${id}"]`);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

// An instant as New York's local date and time, as datetime-local has it.
const ny = (ms) => new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
}).format(new Date(ms)).replace(' ', 'T');

// The Secretariat adds today's meeting through its form: from an hour ago
// to three hours on, in New York time, so that statements can be delivered
// at it now. Returns its id.
async function todaysMeeting(sec, title) {
  await visit(sec, '/en/meetings/new');
  await field(sec, 'body').selectOption('chair');
  await field(sec, 'kind').selectOption('informal-consultation');
  await field(sec, 'title.en').fill(title.en);
  await field(sec, 'title.ar').fill(title.ar);
  await field(sec, 'zone').fill('America/New_York');
  await field(sec, 'start').fill(ny(Date.now() - 3_600_000));
  await field(sec, 'end').fill(ny(Date.now() + 3 * 3_600_000));
  const resp = await submitWith(sec, sec.locator('main form[action$="/meetings"] button[type="submit"]'));
  assert.equal(resp.status(), 303, 'the Secretariat adds the meeting');
  return new URL(sec.url()).pathname.split('/').pop();
}

test('the meeting day: inscribe, speak, publish, read in Arabic, search', { timeout: 120_000 }, async (t) => {
  const tag = randomBytes(3).toString('hex');
  const title = { en: `Meeting day paper ${tag}`, ar: `ورقة يوم الاجتماع ${tag}` };
  const said = `France welcomes the programme of work ${tag}.`;
  const saved = [];
  const del = await newContext(browser);
  const sec = await newContext(browser);
  const pub = await newContext(browser);
  try {
    const page = trackDocuments(await del.newPage());
    const admin = trackDocuments(await sec.newPage());
    await signIn(admin, 'en', 'admin', env.adminPassword);
    const id = await todaysMeeting(admin, { en: `Informal consultation ${tag}`, ar: `مشاورة غير رسمية ${tag}` });
    await signIn(page, 'en', 'delegate-fra', env.delegatePassword);

    // 1. France inscribes; a second time, in Arabic, is refused in Arabic.
    await visit(page, `/en/meetings/${id}`);
    const inscribe = page.locator('main form.inscribe');
    assert.equal(await inscribe.locator('[name="speaker"]').count(), 0, 'a delegate inscribes its own delegation');
    let resp = await submitWith(page, inscribe.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'France is inscribed');
    assert.ok((await mainText(page, 'table.speakers')).includes('France'), 'the list shows France');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'meeting with France inscribed', shot: 'day-en-01-inscribed' });

    await visit(page, `/ar/meetings/${id}`);
    resp = await submitWith(page, page.locator('main form.inscribe button[type="submit"]'));
    assert.equal(resp.status(), 409, 'inscribing twice answers 409');
    assert.ok((await mainText(page)).includes(msg('ar', 'statement.error.inscribed_twice')), 'the error in Arabic');
    await checkPage(t, page, { html: saved, lang: 'ar', label: 'ar inscribed twice', shot: 'day-ar-02-twice', phone: true });

    // 2. The Secretariat opens the meeting and marks that France spoke,
    // with the text.
    await visit(admin, `/en/meetings/${id}`);
    resp = await submitWith(admin, admin.locator('main form[action$="/status"]:has(input[value="in_progress"]) button'));
    assert.equal(resp.status(), 303, 'the meeting is opened');
    await visit(admin, `/ar/meetings/${id}`);
    assert.equal(await admin.locator('main table.speakers form.spoke').count(), 1, 'the Secretariat’s form to mark who spoke');
    await checkPage(t, admin, { html: saved, lang: 'ar', label: 'ar meeting as the Secretariat', shot: 'day-ar-03-secretariat', phone: true });
    await visit(admin, `/en/meetings/${id}`);
    const spoke = admin.locator('main table.speakers tr', { hasText: 'France' }).locator('form.spoke');
    await spoke.locator('[name="minutes"]').fill('3');
    await spoke.locator('[name="seconds"]').fill('5');
    await spoke.locator('[name="text"]').fill(said);
    resp = await submitWith(admin, spoke.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'France spoke');
    const stmt = new URL(admin.url()).pathname;
    assert.match(stmt, /^\/en\/statements\/\d+$/, 'on to the statement recorded');
    assert.ok((await mainText(admin)).includes(said), 'the statement’s text');
    await visit(admin, `/en/meetings/${id}`);
    const row = admin.locator('main table.speakers tr', { hasText: 'France' });
    assert.ok((await row.innerText()).includes('3:05'), 'the time spoken');
    assert.equal(await row.locator(`a[href="${stmt}"]`).count(), 1, 'the list links the statement');
    assert.equal(await admin.locator(`main table.statements a[href="${stmt}"]`).count(), 1, 'the statement is on the meeting page');
    await checkPage(t, admin, { html: saved, lang: 'en', label: 'meeting after France spoke', shot: 'day-en-04-spoke' });

    const reader = trackDocuments(await pub.newPage());
    await visit(reader, '/ar/states/FRA');
    assert.equal(await reader.locator(`main table.statements a[href="${stmt.replace('/en/', '/ar/')}"]`).count(), 1, 'in France’s record');
    await checkPage(t, reader, { html: saved, lang: 'ar', label: 'ar France’s record', shot: 'day-ar-05-state', phone: true });

    // 3. The Secretariat publishes a document for the meeting.
    await visit(admin, '/en/documents/new');
    assert.equal(await field(admin, 'date').inputValue(), ny(Date.now()).slice(0, 10), 'dated today in New York');
    await field(admin, 'symbol').fill(`A/AC.GM/2026/CRP.${parseInt(tag, 16)}`);
    await field(admin, 'type').selectOption('conference-room-paper');
    await field(admin, 'authors').fill('secretariat');
    await field(admin, 'title.en').fill(title.en);
    await field(admin, 'title.ar').fill(title.ar);
    await field(admin, 'meeting').fill(id);
    await field(admin, 'versions.en').selectOption('original');
    await field(admin, 'versions.ar').selectOption('official');
    await field(admin, 'file.en').setInputFiles({ name: 'paper.pdf', mimeType: 'application/pdf', buffer: PDF });
    await field(admin, 'file.ar').setInputFiles({ name: 'paper-ar.odt', mimeType: 'application/pdf', buffer: PDF });
    const form = admin.locator(`main ${formTo('/en/documents')}`);
    resp = await submitWith(admin, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 415, 'a file that is not what its name says is refused');
    assert.ok((await mainText(admin)).includes(msg('en', 'document.error.file_name')), 'and explained');
    assert.equal(await field(admin, 'title.ar').inputValue(), title.ar, 'the Arabic title is kept');
    await checkPage(t, admin, { html: saved, lang: 'en', label: 'document form with errors', shot: 'day-en-06-form-errors' });
    await field(admin, 'file.en').setInputFiles({ name: 'paper.pdf', mimeType: 'application/pdf', buffer: PDF });
    await field(admin, 'file.ar').setInputFiles({ name: 'paper-ar.pdf', mimeType: 'application/pdf', buffer: PDF });
    resp = await submitWith(admin, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the document is published');
    const doc = new URL(admin.url()).pathname.match(/^\/en\/documents\/(\d+)$/)?.[1];
    assert.ok(doc, `redirected to the document: ${admin.url()}`);

    // 4. The public reads the meeting and the document in Arabic and finds
    // the document in both languages.
    await visit(reader, `/ar/meetings/${id}`);
    assert.equal(await reader.locator(`main a[href="/ar/documents/${doc}"]`).count(), 1, 'the meeting lists the document');
    assert.equal(await reader.locator(`main table.statements a[href="${stmt.replace('/en/', '/ar/')}"]`).count(), 1, 'and the statement');
    assert.equal(await reader.locator('main form').count(), 0, 'no forms for the public');
    await checkPage(t, reader, { html: saved, lang: 'ar', label: 'ar meeting', shot: 'day-ar-07-meeting', phone: true });
    await visit(reader, `/ar/documents/${doc}`);
    assert.equal(await reader.locator('html').getAttribute('dir'), 'rtl');
    const text = await mainText(reader);
    assert.ok(text.includes(title.ar) && ARABIC_RE.test(text), 'the Arabic title');
    assert.equal(await reader.locator('main ul.versions > li').first().getAttribute('lang'), 'ar', 'the Arabic version first');
    await checkPage(t, reader, { html: saved, lang: 'ar', label: 'ar document', shot: 'day-ar-08-document', phone: true });
    for (const lang of ['en', 'ar']) {
      await visit(reader, `/${lang}/search`);
      await reader.locator('main input[type="search"]').fill(lang === 'en' ? `meeting day paper ${tag}` : `ورقة ${tag}`);
      const [found] = await Promise.all([
        reader.waitForResponse((r) => r.request().isNavigationRequest() && r.request().frame() === reader.mainFrame()),
        reader.locator('main form[role="search"] button[type="submit"]').click(),
      ]);
      await reader.waitForLoadState('load');
      assert.equal(found.status(), 200);
      assert.equal(await reader.locator(`main ol.results a[href="/${lang}/documents/${doc}"]`).count(), 1, `${lang}: found`);
      await checkPage(t, reader, { html: saved, lang, label: `${lang} search`, shot: `day-${lang}-09-search`, phone: lang === 'ar' });
    }
  } finally {
    await del.close();
    await sec.close();
    await pub.close();
    await validateSavedHTML(t, saved);
  }
});
