// Stakeholder accreditation, end to end, in English and in Arabic: the
// Secretariat opens a window, focal points apply, edit, upload their letter
// and submit; the Secretariat returns one application with remarks and the
// focal point corrects and resubmits. The server is then restarted with its
// clock moved past the window's close (--clock-offset), the Secretariat
// circulates, delegates object and withdraw; restarted once more past the
// objection deadline, the window shows its decision, the accredited list and
// CSV show the accredited organisation, and a late objection is refused.
//
// Each language runs on its own server and its own copy of the seeded
// database (fresh data, independent clocks); the two journeys run side by
// side. Every page type is checked with axe and for <html lang dir>; the
// main ones at phone width as well. Screenshots: output/screenshots/accr-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  env, LANGS, ARABIC_RE, launchBrowser, newContext, screenshot, submitWith, confirmWith, signIn, visit, checkPage, mainText,
  msg, localDate, api, apiToken, workDir, copyTemplateDB, createUser, ConcordServer, trackDocuments, validateSavedHTML,
} from './lib.mjs';

const TZ = 'America/New_York'; // the Global Mechanism's time zone (process setting)
const DAY = 24 * 3600 * 1000;
const MARGIN_S = 600; // how far past a deadline the restarted clock lands

// A tiny PDF, as the upload form takes it (the server sniffs the type).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

// What each language's journey types. The organisations have names in both
// languages, so the Arabic pages, CSV and lists show Arabic names.
const ORGS = {
  x: { names: { en: 'E2E Cyber Peace Lab', ar: 'مختبر السلام السيبراني للاختبار' }, type: 'ngo', country: 'KEN' },
  y: { names: { en: 'E2E Digital Trust Forum', ar: 'منتدى الثقة الرقمية للاختبار' }, type: 'academia', country: 'CHL' },
};
const TEXT = {
  en: {
    purpose: 'We study the security of ICT and train incident responders in East Africa.',
    programmes: 'Research on critical infrastructure; a yearly capacity-building school.',
    history: 'Took part in the OEWG 2021-2025 informal consultations.',
    corrected: 'We study the security of ICT, train incident responders in East Africa and publish our member list.',
    remarks: 'Please add the list of your member organisations to the purpose.',
    basisFRA: 'The organisation’s activities are not relevant to the mandate.',
    basisDEU: 'Insufficient information on the sources of funding.',
    late: 'An objection filed after the deadline.',
  },
  ar: {
    purpose: 'ندرس أمن تكنولوجيا المعلومات والاتصالات وندرب فرق الاستجابة للحوادث في شرق أفريقيا.',
    programmes: 'بحوث عن البنية التحتية الحيوية؛ ومدرسة سنوية لبناء القدرات.',
    history: 'شاركنا في المشاورات غير الرسمية للفريق العامل المفتوح العضوية 2021-2025.',
    corrected: 'ندرس أمن تكنولوجيا المعلومات والاتصالات وندرب فرق الاستجابة للحوادث وننشر قائمة أعضائنا.',
    remarks: 'يُرجى إضافة قائمة المنظمات الأعضاء إلى الغرض.',
    basisFRA: 'أنشطة المنظمة لا صلة لها بالولاية.',
    basisDEU: 'معلومات غير كافية عن مصادر التمويل.',
    late: 'اعتراض مقدَّم بعد الموعد النهائي.',
  },
};

const pathOf = (page) => new URL(page.url()).pathname;
const rand = () => randomBytes(12).toString('base64url');

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('accreditation journeys', { concurrency: true }, () => {
  for (const lang of LANGS) {
    test(`${lang}: window, application, return and resubmission, circulation, objections, decision`, { timeout: 300_000 },
      (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const tx = TEXT[lang];
  let shotN = 0;
  const shot = (step) => `accr-${lang}-${String(++shotN).padStart(2, '0')}-${step}`;

  // --- a server of our own on a fresh copy of the seeded database --------
  const dir = path.join(workDir(), `accreditation-${lang}`);
  const db = copyTemplateDB(dir);
  const server = await ConcordServer.create({ name: `accreditation-${lang}`, db });
  const contexts = [];
  const saved = []; // the HTML of every page checked, for vnu at the end
  try {
    await server.start();
    const base = server.baseURL;

    // Two stakeholder organisations without ECOSOC status (non-objection
    // route), registered through the API by the Secretariat, and one focal
    // point for each (the CLI is the only way to bind an account to an
    // organisation besides the admin page).
    const adminToken = await apiToken(base, 'admin', env.adminPassword);
    const org = {};
    for (const k of ['x', 'y']) {
      const r = await api(base, 'POST', '/organizations', { token: adminToken, body: { kind: 'stakeholder', ecosoc: '', acronym: '', website: '', members: [], ...ORGS[k] } });
      assert.equal(r.status, 201, `POST /api/v1/organizations (${ORGS[k].names.en}): ${r.text}`);
      org[k] = { ...ORGS[k], id: r.json.id, name: ORGS[k].names[lang], user: `focal-${k}-${lang}`, pw: rand() };
      await createUser(db, { username: org[k].user, password: org[k].pw, role: 'focal-point', org: org[k].id });
    }

    const newPage = async () => {
      const c = await newContext(browser, { baseURL: base, locale: lang === 'ar' ? 'ar' : 'en-US' });
      contexts.push(c);
      return trackDocuments(await c.newPage());
    };
    const admin = await newPage();
    const focalX = await newPage();
    const focalY = await newPage();
    const fra = await newPage();
    const deu = await newPage();
    const anon = await newPage();

    // ------------------------------------------------------------------------
    // 1. The Secretariat opens a window: today (New York) to tomorrow 18:00.
    // ------------------------------------------------------------------------
    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, `${L}/accreditation`);
    await checkPage(t, admin, { html: saved, lang, label: 'overview as the Secretariat', shot: shot('overview-secretariat'), phone: true });
    const windowForm = admin.locator('main form[action$="/accreditation/windows"]');
    assert.equal(await windowForm.count(), 1, 'the Secretariat sees the window-creation form');
    assert.equal(await admin.locator('main form[action*="/accreditation/ecosoc"] input[type="file"][name="file"]').count(), 1,
      'the Secretariat sees the ECOSOC list import form');
    const legend = await windowForm.locator('fieldset legend').first().innerText();
    assert.ok(legend.includes(TZ), `the window form gives times in ${TZ} (legend: "${legend}")`);

    const now = Date.now();
    const today = localDate(now, TZ);
    // Tomorrow in New York: a day after noon (UTC) of today's New York date.
    const tomorrow = localDate(Date.parse(`${today}T12:00:00Z`) + DAY, TZ);
    assert.notEqual(tomorrow, today);

    assert.equal(await windowForm.locator('#cycle').inputValue(), today.slice(0, 4), 'the form suggests this year’s cycle');

    // First a mistake: the window closes before it opens. The server's
    // validation is what is tested, so the browser's own is switched off.
    await windowForm.evaluate((f) => { f.noValidate = true; });
    await windowForm.locator('#scope').selectOption('review_conference');
    await windowForm.locator('#opens_date').fill(tomorrow);
    await windowForm.locator('#closes_date').fill(today);
    let resp = await submitWith(admin, windowForm.locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a window that closes before it opens is refused with 422');
    {
      const closes = admin.locator('main #closes_date');
      assert.equal(await closes.getAttribute('aria-invalid'), 'true', '#closes_date is marked aria-invalid');
      const describedBy = (await closes.getAttribute('aria-describedby')) ?? '';
      assert.ok(describedBy.split(/\s+/).includes('closes_date-err'), `#closes_date aria-describedby="${describedBy}" names its error`);
      assert.equal((await admin.locator('#closes_date-err').innerText()).trim(), msg(lang, 'error.closes_before_opens'));
      assert.ok((await mainText(admin, '[role="alert"]')).includes(msg(lang, 'error.closes_before_opens')), 'the form error is announced');
      assert.equal(await closes.inputValue(), today, 'the typed closing date is kept');
    }
    await checkPage(t, admin, { html: saved, lang, label: 'overview with a window-form error', shot: shot('overview-window-error') });

    const windowForm2 = admin.locator('main form[action$="/accreditation/windows"]');
    await windowForm2.evaluate((f) => { f.noValidate = true; });
    assert.equal(await windowForm2.locator('#scope').inputValue(), 'review_conference', 'the chosen scope is kept');
    // The cycle the form suggests is this year; on 31 December the window
    // closes next year, and accreditations (valid until 1 January after the
    // cycle) must outlast it: name the closing year.
    await windowForm2.locator('#cycle').fill(tomorrow.slice(0, 4));
    await windowForm2.locator('#opens_date').fill(today);
    await windowForm2.locator('#opens_time').fill('00:00');
    await windowForm2.locator('#closes_date').fill(tomorrow);
    await windowForm2.locator('#closes_time').fill('18:00');
    resp = await submitWith(admin, windowForm2.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'creating the window answers 303');
    const m = pathOf(admin).match(new RegExp(`^${L}/accreditation/windows/([^/?#]+)$`));
    assert.ok(m, `after creation the browser is on the window page (${admin.url()})`);
    const wid = decodeURIComponent(m[1]);
    const winURL = `${L}/accreditation/windows/${encodeURIComponent(wid)}`;
    assert.equal(await admin.locator('main strong.phase').getAttribute('class'), 'phase phase-open', 'the new window is open');
    await checkPage(t, admin, { html: saved, lang, label: 'window (open) as the Secretariat', shot: shot('window-open-secretariat') });
    let win = (await api(base, 'GET', `/accreditation/windows/${encodeURIComponent(wid)}`)).json;
    assert.equal(win.phase, 'open');
    assert.equal(localDate(Date.parse(win.closes), TZ), tomorrow, 'the window closes tomorrow (New York)');

    // The ECOSOC list import (a one-line CSV).
    await visit(admin, `${L}/accreditation`);
    const ecosocForm = admin.locator('main form[action*="/accreditation/ecosoc"]');
    await ecosocForm.locator('input[name="file"]').setInputFiles({
      name: 'ecosoc.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name,category\nE2E-1,"E2E Consultative Body",special\n'),
    });
    resp = await submitWith(admin, ecosocForm.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'importing the ECOSOC list answers 303');
    assert.equal(pathOf(admin), `${L}/accreditation`, 'back on the overview after the import');
    const ecosocSize = msg(lang, 'accr.ecosoc_size');
    const one = (typeof ecosocSize === 'object' ? ecosocSize.one ?? ecosocSize.other : ecosocSize).replace('{{.Count}}', '1');
    assert.ok((await mainText(admin)).includes(one), `the overview says the list now has one entry ("${one}")`);

    await visit(anon, `${L}/accreditation/rules`);
    await checkPage(t, anon, { html: saved, lang, label: 'rules', shot: shot('rules'), phone: true });

    // ------------------------------------------------------------------------
    // 2. A focal point applies, edits, tries to submit without the letter,
    //    uploads it and submits.
    // ------------------------------------------------------------------------
    const X = org.x;
    await signIn(focalX, lang, X.user, X.pw);
    await visit(focalX, `${L}/accreditation`);
    const applyX = focalX.locator(`main form[action$="/accreditation/applications"]:has(input[name="window"][value="${wid}"]) button[type="submit"]`);
    assert.equal(await applyX.count(), 1, 'the focal point has an Apply button for the new window');
    await checkPage(t, focalX, { html: saved, lang, label: 'overview as a focal point', shot: shot('overview-focal') });
    resp = await submitWith(focalX, applyX);
    assert.equal(resp.status(), 303, 'applying answers 303');
    const am = pathOf(focalX).match(new RegExp(`^${L}/accreditation/applications/(\\d+)$`));
    assert.ok(am, `after applying the browser is on the application page (${focalX.url()})`);
    X.app = Number(am[1]);
    const appURL = (id) => `${L}/accreditation/applications/${id}`;
    const status = async (page) => (await page.locator('main dl.facts strong.status').getAttribute('class')).replace(/^status status-/, '');
    assert.equal(await status(focalX), 'draft');
    assert.ok((await focalX.locator('main h1').innerText()).includes(X.name), `the application page is headed "${X.name}"`);
    await checkPage(t, focalX, { html: saved, lang, label: 'application (draft) as its focal point', shot: shot('application-draft'), phone: true });

    const fill = async (page, a, values) => {
      const form = page.locator(`main form[action$="/accreditation/applications/${a}"]`);
      assert.equal(await form.count(), 1, 'the application has an edit form');
      for (const [name, v] of Object.entries(values)) await form.locator(`textarea[name="${name}"]`).fill(v);
      const r = await submitWith(page, form.locator('button[name="do"][value="save"]'));
      assert.equal(r.status(), 303, `saving the application answers 303 (got ${r.status()})`);
      assert.equal(pathOf(page), appURL(a));
    };
    await fill(focalX, X.app, { purpose: tx.purpose, programmes: tx.programmes, un_history: tx.history });
    for (const [name, v] of [['purpose', tx.purpose], ['programmes', tx.programmes], ['un_history', tx.history]]) {
      assert.equal(await focalX.locator(`main textarea#${name}`).inputValue(), v, `#${name} shows the saved text`);
    }
    assert.ok((await mainText(focalX, 'dl.content')).includes(tx.purpose), 'the content shows the purpose');

    // Submitting without the letter: refused, the error points at the file field.
    resp = await submitWith(focalX, focalX.locator(`main form[action$="/accreditation/applications/${X.app}"] button[name="do"][value="submit"]`));
    assert.equal(resp.status(), 422, 'submitting without the letter answers 422');
    {
      const file = focalX.locator('main input#file');
      assert.equal(await file.getAttribute('aria-invalid'), 'true', 'the file field is marked aria-invalid');
      assert.match((await file.getAttribute('aria-describedby')) ?? '', /\bfile-err\b/, 'the file field points to its error');
      assert.equal((await focalX.locator('#file-err').innerText()).trim(), msg(lang, 'error.required'));
      assert.equal(await status(focalX), 'draft', 'still a draft');
    }
    await checkPage(t, focalX, { html: saved, lang, label: 'application with an error', shot: shot('application-submit-error') });

    const upload = async (page, a) => {
      // The letter goes with the application's one form (text, letter and
      // submission together, so that no button wipes what was typed).
      const form = page.locator(`main form[action$="/accreditation/applications/${a}"]`);
      await form.locator('input[name="file"]').setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: PDF });
      const r = await submitWith(page, form.locator('button[name="do"][value="save"]'));
      assert.equal(r.status(), 303, `uploading the letter answers 303 (got ${r.status()})`);
    };
    await upload(focalX, X.app);
    const letter = focalX.locator('main dl.content a[href*="/documents/"]');
    assert.equal(await letter.count(), 1, 'the focal point sees a link to the uploaded letter');
    {
      const r = await focalX.context().request.get(await letter.getAttribute('href'));
      assert.equal(r.status(), 200, 'the letter downloads');
      assert.equal(r.headers()['content-type'], 'application/pdf');
      assert.ok((await r.body()).subarray(0, 8).equals(PDF.subarray(0, 8)), 'the letter is the uploaded PDF');
    }
    resp = await submitWith(focalX, focalX.locator(`main form[action$="/accreditation/applications/${X.app}"] button[name="do"][value="submit"]`));
    assert.equal(resp.status(), 303, 'submitting answers 303');
    assert.equal(await status(focalX), 'submitted');
    await screenshot(focalX, shot('application-submitted'));

    // ------------------------------------------------------------------------
    // 3. The Secretariat returns it with remarks; the focal point corrects it
    //    and submits again.
    // ------------------------------------------------------------------------
    await visit(admin, appURL(X.app));
    assert.equal(await status(admin), 'submitted');
    await checkPage(t, admin, { html: saved, lang, label: 'application (submitted) as the Secretariat', shot: shot('application-secretariat') });
    const returnForm = admin.locator(`main form[action$="/applications/${X.app}/return"]`);
    assert.equal(await returnForm.count(), 1, 'the Secretariat has a Return form');
    await returnForm.locator('textarea[name="remarks"]').fill(tx.remarks);
    resp = await submitWith(admin, returnForm.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'returning answers 303');
    assert.equal(await status(admin), 'returned');

    await visit(focalX, appURL(X.app));
    assert.equal(await status(focalX), 'returned');
    assert.ok((await mainText(focalX, 'section:has(#remarks-h)')).includes(tx.remarks), 'the focal point reads the remarks');
    await checkPage(t, focalX, { html: saved, lang, label: 'application (returned) as its focal point', shot: shot('application-returned') });
    await fill(focalX, X.app, { purpose: tx.corrected });
    resp = await submitWith(focalX, focalX.locator(`main form[action$="/accreditation/applications/${X.app}"] button[name="do"][value="resubmit"]`));
    assert.equal(resp.status(), 303, 'resubmitting answers 303');
    assert.equal(await status(focalX), 'submitted');
    assert.ok((await mainText(focalX, 'dl.content')).includes(tx.corrected), 'the corrected purpose is shown');

    await visit(focalX, `${L}/inbox`);
    assert.ok((await mainText(focalX)).includes(msg(lang, 'notice.returned')), 'the inbox has the "returned" notice');
    assert.ok(await focalX.locator(`main a[href="${appURL(X.app)}"]`).count() >= 1, 'the notice links to the application');
    await checkPage(t, focalX, { html: saved, lang, label: 'inbox of a focal point', shot: shot('inbox-focal') });

    // A second organisation applies and submits (no checks: same pages).
    const Y = org.y;
    await signIn(focalY, lang, Y.user, Y.pw);
    await visit(focalY, `${L}/accreditation`);
    resp = await submitWith(focalY, focalY.locator(`main form[action$="/accreditation/applications"]:has(input[name="window"][value="${wid}"]) button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the second organisation applies');
    Y.app = Number(pathOf(focalY).split('/').pop());
    await fill(focalY, Y.app, { purpose: tx.purpose });
    await upload(focalY, Y.app);
    resp = await submitWith(focalY, focalY.locator(`main form[action$="/accreditation/applications/${Y.app}"] button[name="do"][value="submit"]`));
    assert.equal(resp.status(), 303, 'the second organisation submits');
    assert.equal(await status(focalY), 'submitted');

    // ------------------------------------------------------------------------
    // 4. Past the window's close: the Secretariat circulates.
    // ------------------------------------------------------------------------
    const offset1 = Math.ceil((Date.parse(win.closes) - Date.now()) / 1000) + MARGIN_S;
    await server.restart({ clockOffset: `${offset1}s` });
    t.diagnostic(`${lang}: server restarted with --clock-offset ${offset1}s (past the close ${win.closes})`);
    await signIn(admin, lang, 'admin', env.adminPassword); // the 12-hour sessions have expired
    await visit(admin, winURL);
    assert.equal(await admin.locator('main strong.phase').getAttribute('class'), 'phase phase-screening', 'the window is closed, in screening');
    const circulate = admin.locator(`main form[action$="/windows/${wid}/circulate"] button[type="submit"]`);
    assert.equal(await circulate.count(), 1, 'the Secretariat has a Circulate button');
    await checkPage(t, admin, { html: saved, lang, label: 'window (screening) as the Secretariat', shot: shot('window-screening'), phone: true });
    resp = await confirmWith(admin, circulate, 'circulating');
    assert.equal(resp.status(), 303, 'circulating answers 303');
    assert.equal(await admin.locator('main strong.phase').getAttribute('class'), 'phase phase-objection_period');
    for (const a of [X.app, Y.app]) {
      assert.equal(await admin.locator(`main tr#app-${a} .status`).getAttribute('class'), 'status status-circulated', `application ${a} is circulated`);
    }
    win = (await api(base, 'GET', `/accreditation/windows/${encodeURIComponent(wid)}`)).json;
    assert.ok(win.objection_deadline, 'the window has an objection deadline');
    const deadline = Date.parse(win.objection_deadline);
    assert.equal(new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(deadline), '18:00',
      `the deadline ${win.objection_deadline} is at 18:00 in New York`);
    assert.ok(deadline - Date.parse(win.circulated_at) >= 10 * DAY, 'ten working days are at least ten days');
    assert.equal(await admin.locator(`main dl.facts time[datetime="${win.objection_deadline}"]`).count(), 1, 'the page shows the deadline');

    // ------------------------------------------------------------------------
    // 5. France objects to X and withdraws; Germany objects to Y.
    // ------------------------------------------------------------------------
    await signIn(fra, lang, 'delegate-fra', env.delegatePassword);
    await visit(fra, `${L}/inbox`);
    assert.ok(await fra.locator(`main a[href="${winURL}"]`).count() >= 1, 'the delegate’s inbox links to the circulated window');
    await checkPage(t, fra, { html: saved, lang, label: 'inbox of a delegate', shot: shot('inbox-delegate') });

    await visit(fra, winURL);
    assert.equal(await fra.locator('main strong.phase').getAttribute('class'), 'phase phase-objection_period');
    for (const a of [X.app, Y.app]) {
      assert.equal(await fra.locator(`main tr#app-${a} details.object`).count(), 1, `the delegate may object to application ${a} from the list`);
    }
    await checkPage(t, fra, { html: saved, lang, label: 'window (objection period) as a delegate', shot: shot('window-delegate'), phone: true });
    await visit(fra, winURL); // checkPage opened every <details>: start again as a user would
    const rowX = fra.locator(`main tr#app-${X.app}`);
    await rowX.locator('details.object summary').click();
    await rowX.locator(`textarea#basis-${X.app}`).fill(tx.basisFRA);
    resp = await submitWith(fra, rowX.locator('form[action$="/objection"] button[type="submit"]'));
    assert.equal(resp.status(), 303, 'objecting answers 303');
    assert.equal(pathOf(fra), `${L}/accreditation/windows/${wid}`, 'back on the window page');
    {
      const own = fra.locator(`main tr#app-${X.app} .own`);
      assert.equal(await own.count(), 1, 'the row shows France’s own objection');
      assert.ok((await own.innerText()).includes(tx.basisFRA), 'with its basis');
    }
    await screenshot(fra, shot('window-objected'));
    const withdraw = fra.locator(`main tr#app-${X.app} form[action$="/applications/${X.app}/objection/withdraw"] button`);
    assert.equal(await withdraw.count(), 1, 'France may withdraw its objection');
    resp = await submitWith(fra, withdraw);
    assert.equal(resp.status(), 303, 'withdrawing answers 303');
    {
      const row = fra.locator(`main tr#app-${X.app}`);
      assert.ok((await row.locator('.own').innerText()).includes(msg(lang, 'accr.withdrawn_on')), 'the objection shows as withdrawn');
      assert.equal(await row.locator('form[action$="/objection/withdraw"]').count(), 0, 'nothing left to withdraw');
      assert.equal(await row.locator('details.object').count(), 0, 'a withdrawn objection cannot be filed again');
    }
    await visit(fra, appURL(Y.app));
    assert.equal(await fra.locator('main textarea#basis').count(), 1, 'the application page has the objection form');
    await checkPage(t, fra, { html: saved, lang, label: 'application (circulated) as a delegate', shot: shot('application-delegate'), phone: true });

    await signIn(deu, lang, 'delegate-deu', env.delegateDeuPassword);
    await visit(deu, appURL(Y.app));
    await deu.locator('main textarea#basis').fill(tx.basisDEU);
    resp = await submitWith(deu, deu.locator(`main form[action$="/applications/${Y.app}/objection"] button[type="submit"]`));
    assert.equal(resp.status(), 303, 'Germany’s objection answers 303');
    assert.ok((await mainText(deu, '.own')).includes(tx.basisDEU), 'Germany sees its objection and basis');
    await screenshot(deu, shot('application-objected'));

    // The Secretariat's statistics and simulation of another rule.
    await visit(admin, `${winURL}/statistics`);
    await checkPage(t, admin, { html: saved, lang, label: 'statistics', shot: shot('statistics') });
    await visit(admin, `${winURL}/simulation?rule=two_groups`);
    assert.equal(await admin.locator('main select#rule').inputValue(), 'two_groups', 'the simulation shows the chosen rule');
    assert.equal(await admin.locator(`main a[href="${appURL(Y.app)}"]`).count(), 1, 'the simulation lists the objected application');
    await checkPage(t, admin, { html: saved, lang, label: 'simulation (two_groups)', shot: shot('simulation') });

    // ------------------------------------------------------------------------
    // 6. Past the objection deadline: the decision.
    // ------------------------------------------------------------------------
    const offset2 = Math.ceil((deadline - Date.now()) / 1000) + MARGIN_S;
    assert.ok(offset2 > offset1);
    await server.restart({ clockOffset: `${offset2}s` });
    t.diagnostic(`${lang}: server restarted with --clock-offset ${offset2}s (past the deadline ${win.objection_deadline})`);

    await visit(anon, winURL);
    assert.equal(await anon.locator('main strong.phase').getAttribute('class'), 'phase phase-decided', 'the window is decided');
    assert.equal(await anon.locator(`main tr#app-${X.app} a[href="${appURL(X.app)}"]`).count(), 1, 'the public accredited list shows X');
    assert.ok((await anon.locator(`main tr#app-${X.app}`).innerText()).includes(X.name), `under its ${lang} name`);
    assert.equal(await anon.locator(`main tr#app-${Y.app}`).count(), 0, 'the public accredited list leaves out Y (blocked)');
    await checkPage(t, anon, { html: saved, lang, label: 'window (decided), public', shot: shot('window-decided-public'), phone: true });

    {
      const r = await fetch(`${base}${winURL}/accredited.csv`, { signal: AbortSignal.timeout(20_000) });
      assert.equal(r.status, 200, 'GET accredited.csv');
      assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
      const lines = (await r.text()).trim().split(/\r?\n/);
      // Headers in the page's language (the byte-order mark is removed by
      // text(), which decodes UTF-8 as the Fetch standard says).
      const header = ['accr.organisation', 'orgs.acronym', 'orgs.type', 'orgs.country', 'accr.route', 'accr.decided', 'export.valid_from', 'export.valid_until'];
      assert.equal(lines[0], header.map((k) => msg(lang, k)).join(','), 'the CSV header');
      assert.equal(lines.length, 2, `one accredited organisation in the CSV:\n${lines.join('\n')}`);
      assert.ok(lines[1].startsWith(`${X.name},`), `the CSV row names X in ${lang}: ${lines[1]}`);
      assert.ok(lines[1].includes(`,${msg(lang, 'type.ngo')},KEN,${msg(lang, 'route.non_objection')},`), `the CSV row has type, country and route: ${lines[1]}`);
      if (lang === 'ar') assert.ok(ARABIC_RE.test(lines[1]), 'the Arabic CSV has the Arabic name');
    }

    await visit(anon, appURL(X.app));
    assert.equal(await status(anon), 'accredited');
    await checkPage(t, anon, { html: saved, lang, label: 'application (accredited), public', shot: shot('application-accredited-public'), phone: true });
    await visit(anon, appURL(Y.app), 404); // a blocked application is not public

    await signIn(admin, lang, 'admin', env.adminPassword);
    await visit(admin, `${winURL}?list=all`);
    assert.equal(await admin.locator(`main tr#app-${X.app} .status`).getAttribute('class'), 'status status-accredited', 'X is accredited');
    assert.equal(await admin.locator(`main tr#app-${Y.app} .status`).getAttribute('class'), 'status status-blocked', 'Y is blocked by Germany’s objection');
    assert.ok((await admin.locator(`main tr#app-${Y.app} .status`).innerText()).includes(msg(lang, 'appstatus.blocked')));
    await checkPage(t, admin, { html: saved, lang, label: 'window (decided) as the Secretariat', shot: shot('window-decided-secretariat') });

    // A late objection, from a form loaded before the deadline: refused with
    // the localised "deadline passed" message.
    await signIn(deu, lang, 'delegate-deu', env.delegateDeuPassword);
    await visit(deu, appURL(X.app));
    await deu.evaluate(({ action, basis }) => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = action;
      const ta = document.createElement('textarea');
      ta.name = 'basis';
      ta.value = basis;
      const b = document.createElement('button');
      b.type = 'submit';
      b.id = 'e2e-late-objection';
      b.textContent = 'late';
      f.append(ta, b);
      document.querySelector('main').append(f);
    }, { action: `${appURL(X.app)}/objection`, basis: tx.late });
    resp = await submitWith(deu, deu.locator('#e2e-late-objection'));
    assert.equal(resp.status(), 409, 'a late objection answers 409');
    assert.ok((await mainText(deu, '[role="alert"]')).includes(msg(lang, 'error.deadline_passed')),
      `the page says "${msg(lang, 'error.deadline_passed')}"`);
    assert.equal(await status(deu), 'accredited', 'the application stays accredited');
    await checkPage(t, deu, { html: saved, lang, label: 'late objection refused', shot: shot('late-objection') });

    await signIn(focalX, lang, X.user, X.pw);
    await visit(focalX, `${L}/inbox`);
    assert.ok((await mainText(focalX)).includes(msg(lang, 'notice.accredited')), 'the focal point is told of the accreditation');
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await server.stop();
    await validateSavedHTML(t, saved);
  }
}
