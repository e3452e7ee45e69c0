// User journeys through the real UI: language switching, sign-in, editing a
// delegation as a State delegate, permission errors, sign-out and bad logins.
// The tests run in order and share one browser context (one session cookie).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  BASE_URL, env, ARABIC_RE, launchBrowser, newContext, assertNoAxeViolations,
  assertLangDir, screenshot, get, VIEWPORTS,
} from './lib.mjs';

let browser, context, page;
before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
});
after(async () => { await browser?.close(); });

// Clicks the submit button of form and returns the response to the POST it
// sends (the page then shows the result, whatever the status).
async function submit(form) {
  const action = await form.evaluate((f) => f.action);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === action),
    form.locator('button[type="submit"]').click(),
  ]);
  await page.waitForLoadState('load');
  return resp;
}

// The status of the first response of a navigation that may have been redirected.
function firstStatusOf(resp) {
  let req = resp.request();
  while (req.redirectedFrom()) req = req.redirectedFrom();
  return req.response();
}

const pathOf = (p) => new URL(p.url()).pathname;
const signedInUser = () => page.locator('header form[action$="/logout"]');

test('(a) the language switcher on /en/states leads to /ar/states, right-to-left', async () => {
  const resp = await page.goto('/en/states');
  assert.equal(resp.status(), 200);
  await assertLangDir(page, 'en');
  await screenshot(page, 'flow-01-en-states');
  const link = page.locator('a[hreflang="ar"]');
  assert.equal(await link.count(), 1, 'exactly one link to the Arabic version (a[hreflang="ar"])');
  await Promise.all([page.waitForURL((u) => u.pathname === '/ar/states'), link.click()]);
  await assertLangDir(page, 'ar');
  await screenshot(page, 'flow-02-switched-to-ar-states');
});

test('(b) GET / with Accept-Language: ar redirects to /ar/', async () => {
  const r = await get('/', { headers: { 'Accept-Language': 'ar' } });
  assert.ok(r.status >= 300 && r.status < 400, `GET / answered ${r.status}, expected a redirect`);
  assert.equal(new URL(r.headers.get('location'), BASE_URL).pathname, '/ar/', 'Location of the redirect');
  // The same through a browser whose language is Arabic.
  const arContext = await newContext(browser, { locale: 'ar', extraHTTPHeaders: { 'Accept-Language': 'ar' } });
  try {
    const p = await arContext.newPage();
    const resp = await p.goto('/');
    assert.equal(resp.status(), 200);
    assert.equal(pathOf(p), '/ar/');
    await assertLangDir(p, 'ar');
    await screenshot(p, 'flow-03-accept-language-ar-home');
  } finally {
    await arContext.close();
  }
});

const personName = `E2E Delegate ${randomBytes(3).toString('hex')}`;
const session = 'GM-2026-E2E';
const delegationForm = () => page.locator('main form[action$="/states/FRA/delegation"]');

test('(c1) delegate-fra signs in through the login form and reaches the home page, then the account page', async () => {
  const resp = await page.goto('/en/login');
  assert.equal(resp.status(), 200);
  const form = page.locator('main form[action$="/login"]');
  await form.locator('input[name="username"]').fill('delegate-fra');
  await form.locator('input[name="password"]').fill(env.delegatePassword);
  const post = await submit(form);
  assert.equal(post.status(), 303, 'POST /en/login answers 303 See Other');
  assert.equal(pathOf(page), '/en/home', 'after sign-in the browser is on the home page');
  assert.equal(await signedInUser().count(), 1, 'the header shows a sign-out button');
  await assertNoAxeViolations(page, 'en home page');
  // The home page of a delegate at a phone's width, in English and Arabic.
  await page.setViewportSize(VIEWPORTS.phone);
  for (const lang of ['en', 'ar']) {
    const home = await page.goto(`/${lang}/home`);
    assert.equal(home.status(), 200, `GET /${lang}/home as delegate-fra`);
    await assertLangDir(page, lang);
    assert.equal(await page.locator('main h2').count(), 2, 'what is waiting, and the meetings coming up');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `/${lang}/home scrolls sideways at 390 px (${width})`);
    await screenshot(page, `flow-04-home-${lang}-390`);
    await assertNoAxeViolations(page, `${lang} home page at 390 px`);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.goto('/en/account');
  await assert.doesNotReject(page.locator('main').getByText('delegate-fra').first().waitFor({ timeout: 5000 }),
    'the account page names the user');
  await assertLangDir(page, 'en');
  await screenshot(page, 'flow-04-account');
  await assertNoAxeViolations(page, 'en account page');
});

test('(c2) the edit form of France adds a person to the delegation', async () => {
  const resp = await page.goto('/en/states/FRA/edit');
  assert.equal(resp.status(), 200, 'GET /en/states/FRA/edit as delegate-fra');
  await assertLangDir(page, 'en');
  await screenshot(page, 'flow-05-edit-form');
  await assertNoAxeViolations(page, 'en /states/FRA/edit');

  const form = delegationForm();
  assert.equal(await form.count(), 1, 'one "add to delegation" form');
  await form.locator('[name="name"]').fill(personName);
  await form.locator('[name="gender"]').selectOption('female');
  await form.locator('[name="session"]').fill(session);
  await form.locator('[name="role"]').selectOption('adviser');
  const post = await submit(form);
  assert.equal(post.status(), 303, `POST ${post.url()} answers 303 See Other`);
  assert.match(page.url(), /\/en\/states\/FRA\/edit\?saved=1$/, 'back on the edit form with a "saved" notice');
  await screenshot(page, 'flow-06-delegate-added');

  const statePage = await page.goto('/en/states/FRA');
  assert.equal(statePage.status(), 200);
  const row = page.locator('main tr', { hasText: personName });
  assert.equal(await row.count(), 1, `the State page lists "${personName}" once`);
  assert.match(await row.innerText(), new RegExp(session), 'the row shows the session');
  await screenshot(page, 'flow-07-state-page-with-delegate');
});

test('(c3) an empty name gives 422 with a field error, and the form keeps the typed session', async () => {
  const resp = await page.goto('/en/states/FRA/edit');
  assert.equal(resp.status(), 200);
  const form = delegationForm();
  // The name field is `required`: switch off the browser's own check so that
  // the server's validation is what gets tested.
  await form.evaluate((f) => { f.noValidate = true; });
  const typedSession = 'GM-2027-KEEP';
  await form.locator('[name="name"]').fill('');
  await form.locator('[name="session"]').fill(typedSession);
  const post = await submit(form);
  assert.equal(post.status(), 422, 'POST with an empty name answers 422');
  await assertLangDir(page, 'en');
  await screenshot(page, 'flow-08-empty-name-422');

  const form2 = delegationForm();
  const name = form2.locator('[name="name"]');
  assert.equal(await name.getAttribute('aria-invalid'), 'true', 'the name field is marked aria-invalid');
  const describedBy = await name.getAttribute('aria-describedby');
  assert.ok(describedBy, 'the name field points to its error with aria-describedby');
  const errText = (await page.locator(`[id="${describedBy}"]`).innerText()).trim();
  assert.ok(errText.length > 0, `the field error #${describedBy} has text`);
  assert.equal(await form2.locator('[name="session"]').inputValue(), typedSession, 'the session field keeps the typed value');
  await assertNoAxeViolations(page, 'en /states/FRA/edit with a field error');
});

test('(d) delegate-fra may not edit Germany: localised 403 page in en and ar', async (t) => {
  await t.test('en', async () => {
    const en = await page.goto('/en/states/DEU/edit');
    assert.equal(en.status(), 403, 'GET /en/states/DEU/edit');
    await screenshot(page, 'flow-09-403-en');
    await assertLangDir(page, 'en');
    assert.equal(await page.locator('form[action$="/delegation"]').count(), 0, 'no edit form on the 403 page');
    const enAlert = (await page.locator('main [role="alert"]').first().innerText()).trim();
    assert.ok(enAlert.length > 0, 'the 403 page explains the refusal');
    assert.ok(!ARABIC_RE.test(enAlert), 'English page has English text');
    await assertNoAxeViolations(page, 'en 403 page (/en/states/DEU/edit)');
  });

  await t.test('ar', async (t) => {
    const ar = await page.goto('/ar/states/DEU/edit');
    await screenshot(page, 'flow-10-403-ar');
    // Independent checks, so that one failure does not hide the others.
    await t.test('status 403', () => assert.equal(ar.status(), 403, 'GET /ar/states/DEU/edit'));
    await t.test('lang=ar dir=rtl', () => assertLangDir(page, 'ar'));
    await t.test('axe', () => assertNoAxeViolations(page, 'ar 403 page (/ar/states/DEU/edit)'));
    await t.test('text is in Arabic', async () => {
      const texts = {
        '<title>': await page.title(),
        '<h1>': (await page.locator('main h1').first().innerText()).trim(),
        '[role=alert]': (await page.locator('main [role="alert"]').first().innerText()).trim(),
      };
      const notArabic = Object.entries(texts).filter(([, text]) => !ARABIC_RE.test(text)).map(([where, text]) => `${where} "${text}"`);
      assert.deepEqual(notArabic, [], `/ar/states/DEU/edit shows text without any Arabic: ${notArabic.join('; ')}`);
    });
  });
});

test('(e) sign out', async () => {
  await page.goto('/en/account');
  const logout = signedInUser();
  assert.equal(await logout.count(), 1, 'a sign-out button while signed in');
  const post = await submit(logout);
  assert.equal(post.status(), 303, 'POST /en/logout answers 303');
  assert.equal(pathOf(page), '/en/', 'signing out leads to the home page');
  assert.equal(await signedInUser().count(), 0, 'no sign-out button after signing out');
  // The sign-in link brings the reader back to the page it was on (?next=).
  const signInLink = page.locator('header a[href^="/en/login?"]');
  assert.equal(await signInLink.count(), 1, 'a sign-in link after signing out');
  const next = new URL(await signInLink.getAttribute('href'), BASE_URL).searchParams.get('next');
  assert.equal(next, '/en/', 'the sign-in link comes back to the home page');
  await screenshot(page, 'flow-11-signed-out');
  const acct = await page.goto('/en/account');
  assert.equal(pathOf(page), '/en/login', 'the account page needs a session again');
  assert.equal(acct.status(), 200);
});

test('(f) signed out, /en/admin/users redirects to the login page', async () => {
  const r = await get('/en/admin/users');
  assert.ok(r.status >= 300 && r.status < 400, `GET /en/admin/users answered ${r.status}, expected a redirect`);
  const loc = new URL(r.headers.get('location'), BASE_URL);
  assert.equal(loc.pathname, '/en/login');
  assert.equal(loc.searchParams.get('next'), '/en/admin/users', 'the login page comes back to the admin page');

  const resp = await page.goto('/en/admin/users');
  const first = await firstStatusOf(resp);
  assert.ok(first.status() >= 300 && first.status() < 400, `first response ${first.status()}`);
  assert.equal(pathOf(page), '/en/login');
  assert.equal(resp.status(), 200);
  assert.equal(await page.locator('main input[name="password"]').count(), 1, 'the login form is shown');
  await screenshot(page, 'flow-12-admin-redirects-to-login');
});

test('(g) a wrong password shows an error, and the server carries on', async () => {
  await page.goto('/en/login');
  const form = page.locator('main form[action$="/login"]');
  await form.locator('input[name="username"]').fill('delegate-fra');
  await form.locator('input[name="password"]').fill('not-the-right-password');
  const post = await submit(form);
  assert.equal(post.status(), 401, 'a wrong password answers 401');
  assert.equal(pathOf(page), '/en/login', 'still on the login page');
  await assertLangDir(page, 'en');
  const alert = (await page.locator('main [role="alert"]').first().innerText()).trim();
  assert.ok(alert.length > 0, 'an error message is shown');
  assert.equal(await page.locator('main input[name="username"]').inputValue(), 'delegate-fra', 'the username is kept');
  assert.equal(await page.locator('main input[name="password"]').inputValue(), '', 'the password is not echoed back');
  assert.equal(await signedInUser().count(), 0, 'not signed in');
  await screenshot(page, 'flow-13-wrong-password');
  await assertNoAxeViolations(page, 'en login with a wrong password');
  const health = await get('/healthz');
  assert.equal(health.status, 200, 'the server is still healthy');
});
