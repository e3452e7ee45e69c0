// Shared helpers for the e2e specs (not a spec itself).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import {
  appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
export const OUTPUT_DIR = path.join(E2E_DIR, 'output');
export const SCREENSHOT_DIR = path.join(OUTPUT_DIR, 'screenshots');
mkdirSync(SCREENSHOT_DIR, { recursive: true });

function requiredEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set: run the suite with ./e2e/run.sh`);
  return v;
}

export const BASE_URL = requiredEnv('BASE_URL').replace(/\/+$/, '');
export const env = {
  get adminPassword() { return requiredEnv('ADMIN_PW'); },
  get delegatePassword() { return requiredEnv('DELEGATE_PW'); },
  get delegateDeuPassword() { return requiredEnv('DELEGATE_DEU_PW'); },
  get chairPassword() { return requiredEnv('CHAIR_PW'); },
  // The authenticator secret run.sh enrolled admin and chair with (their
  // roles require two-factor sign-in).
  get totpSecret() { return requiredEnv('TOTP_SECRET'); },
};

// The languages of this run of a spec file: both, or the one that run.sh
// gives a job of a file it runs once per language (E2E_LANGS).
export const LANGS = (process.env.E2E_LANGS || 'en ar').split(/\s+/).filter((l) => ['en', 'ar'].includes(l));
if (!LANGS.length) throw new Error(`E2E_LANGS="${process.env.E2E_LANGS}" names neither en nor ar`);
export const DIRS = { en: 'ltr', ar: 'rtl' };
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

// The WCAG 2.x A/AA rule sets, 2.0 through 2.2.
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// "Under 50 KB" is read strictly as 50,000 bytes (SI kilobytes, as Chromium's
// network panel counts), headers included.
export const MAX_HTML_TRANSFER_BYTES = 50_000;

// Debian's old headless shell (apt-get install -y chromium-headless-shell):
// the same Blink and V8 as chromium without the full browser's layers, so
// the suite's pages, axe runs and screenshots cost half the CPU (measured:
// 8 pages checked at two widths, 22 s of CPU with chromium, 12 s with the
// shell; a new page 0.5 s against 0.15 s). Chromium itself when the shell
// is not installed (run.sh says so).
export const HEADLESS_SHELL_PATH = '/usr/bin/chromium-headless-shell';
export const CHROMIUM_PATH = existsSync(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : '/usr/bin/chromium';

export async function launchBrowser() {
  return timed('browser start', () => chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  }));
}

// Where a spec's time goes, per kind of work (axe, screenshots, page
// loads…), written on exit to output/timing/<pid>.json; run.sh sums them
// per job. Used to find what makes the suite slow, not asserted.
const timing = {};
export async function timed(kind, f) {
  const t0 = performance.now();
  try { return await f(); } finally {
    const e = timing[kind] ??= { n: 0, ms: 0 };
    e.n++;
    e.ms += performance.now() - t0;
  }
}
process.on('exit', () => {
  if (!Object.keys(timing).length) return;
  const dir = path.join(OUTPUT_DIR, 'timing');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${process.env.E2E_JOB || 'spec'}.${process.pid}.json`), JSON.stringify(timing));
});

export async function newContext(browser, options = {}) {
  const context = await timed('new context', () => browser.newContext({
    baseURL: BASE_URL,
    viewport: VIEWPORTS.desktop,
    locale: 'en-US',
    ...options,
  }));
  // A page (a renderer process) costs about 0.5 s of CPU to start, more
  // than most checks on it: counted, to keep the number down.
  const newPage = context.newPage.bind(context);
  context.newPage = () => timed('new page', newPage);
  return context;
}

// Runs axe with the WCAG A/AA tags and returns its violations. axe-core is
// evaluated in the page once per document (not on every run, as
// @axe-core/playwright did: its fixed cost, about 1-2 s a run, was most of
// the time of a check on a short page), then axe.run is called directly, in
// the page itself (the pages have no iframes). The second check of a page,
// at phone width, finds axe already there.
// resultTypes: only violations are reported in full; passes, incomplete and
// inapplicable results keep one node each instead of every node with its
// HTML, which cost 30-60% of axe's time on long pages (the States list) and
// is never read. The same rules run on every node either way.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export async function axeViolations(page) {
  return timed('axe', async () => {
    if (!await page.evaluate(() => typeof window.axe?.run === 'function')) await page.evaluate(AXE_SOURCE);
    return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
      .then((r) => r.violations), AXE_TAGS);
  });
}

function clip(s, n = 300) {
  s = String(s ?? '').replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

// Human-readable report of axe violations: rule, impact, help, then every
// offending node with its selector, HTML and axe's explanation.
export function formatViolations(violations, label) {
  const lines = [`${label}: ${violations.length} axe violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node(s))`);
    lines.push(`      ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 10)) {
      lines.push(`    - target: ${n.target.join(' ')}`);
      lines.push(`      html:   ${clip(n.html)}`);
      if (n.failureSummary) lines.push(`      why:    ${clip(n.failureSummary, 500)}`);
    }
    if (v.nodes.length > 10) lines.push(`    … and ${v.nodes.length - 10} more node(s)`);
  }
  return lines.join('\n');
}

// Fails with a readable report when axe finds anything on the page.
export async function assertNoAxeViolations(page, label) {
  const violations = await axeViolations(page);
  if (violations.length) {
    assert.fail(formatViolations(violations, label));
  }
}

export async function htmlLangDir(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
  }));
}

export async function assertLangDir(page, lang) {
  const got = await htmlLangDir(page);
  assert.deepEqual(got, { lang, dir: DIRS[lang] }, `<html lang dir> on ${page.url()}`);
}

// A full-page PNG screenshot. Chromium is asked for it directly with
// optimizeForSpeed (a faster PNG encoder: larger files, the same pixels),
// which halves the CPU that page.screenshot() spends encoding long pages;
// screenshots were a fifth of the suite's browser time.
const cdpSessions = new WeakMap();
export async function screenshot(page, name) {
  return timed('screenshot', () => takeScreenshot(page, name));
}

async function takeScreenshot(page, name) {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  let cdp = cdpSessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    cdpSessions.set(page, cdp);
  }
  await page.evaluate(() => document.fonts.ready); // as page.screenshot() waits for web fonts
  const { cssContentSize: size } = await cdp.send('Page.getLayoutMetrics');
  const { data } = await cdp.send('Page.captureScreenshot', {
    format: 'png', optimizeForSpeed: true, captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height), scale: 1 },
  });
  writeFileSync(file, Buffer.from(data, 'base64'));
  return file;
}

// Arabic-script letters (Arabic, Arabic Supplement, Extended-A, presentation forms).
export const ARABIC_RE = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

// Plain HTTP requests (no browser). Node's fetch sends no Sec-Fetch-* headers,
// so the server's cross-origin protection lets it through like curl.
export async function get(pathOrUrl, init = {}) {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : BASE_URL + pathOrUrl;
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(20_000), ...init });
}

// ------------------------------------------------------------------------
// Helpers for the journey specs (accreditation, decisions): forms, sign-in,
// per-page checks, the message catalogues, and Concord servers that a spec
// starts, stops and restarts itself (with a shifted clock).

// Clicks a submit button and waits for the page that answers the POST. It
// returns the POST's own response (a 303 when it succeeded, or the status of
// the page that shows the problem); the browser is then on the final page.
export async function submitWith(page, button) {
  const post = page.waitForResponse((r) => r.request().method() === 'POST'
    && r.request().isNavigationRequest() && r.request().frame() === page.mainFrame(), { timeout: 20_000 });
  const loaded = page.waitForEvent('load', { timeout: 20_000 });
  await button.click();
  const resp = await post;
  await loaded;
  return resp;
}

// A CSS selector for the form that posts to path (a suffix of its action). A
// multipart form carries its form token in the action's query
// (…?form_token=…), since its handler streams the body, so the action may go
// on after path.
export const formTo = (path) => `form:is([action$="${path}"], [action*="${path}?"])`;

// Submits with button an act that asks for confirmation (circulating, the
// Chair's decision, an objection, proposing co-facilitators): the first POST
// answers the confirmation page, whose button then takes the act. Returns the
// response to the confirming POST.
export async function confirmWith(page, button, what) {
  const first = await submitWith(page, button);
  assert.equal(first.status(), 200, `${what}: the confirmation page answers 200`);
  const form = page.locator('main form:has(input[name="confirm"][value="1"])');
  assert.equal(await form.count(), 1, `${what}: the page asks for confirmation`);
  return submitWith(page, form.locator('button[type="submit"]'));
}

// --- two-factor sign-in ----------------------------------------------------

// The accounts run.sh enrolled in two-factor sign-in (their roles require it).
export const TWO_FACTOR_USERS = new Set(['admin', 'chair']);

// totpCode is the RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret
// at a 30-second step, as an authenticator app shows it.
export function totpCode(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// The last step used per server and account: the server accepts a code
// once (replay), one step either side of the current one.
const lastStep = new Map();

// freshCode returns a code of secret (the shared one by default) for
// username on the server at origin that has not been used there: of the
// earliest step the server still accepts, waiting for the next step when
// all are used.
export async function freshCode(origin, username, secret = env.totpSecret) {
  const key = `${origin}|${username}`;
  for (;;) {
    const t = Date.now() / 1000;
    const now = Math.floor(t / 30);
    let step = Math.max(now - 1, (lastStep.get(key) ?? 0) + 1);
    if (step === now - 1 && t % 30 > 27) step = now; // about to leave the window
    if (step <= now + 1) {
      lastStep.set(key, step);
      return totpCode(secret, step);
    }
    const ms = ((now + 1) * 30 - t) * 1000 + 50;
    totpWaited += ms;
    await timed('two-factor wait', () => new Promise((r) => setTimeout(r, ms)));
  }
}

// The time this process spent waiting for a fresh step, reported on exit:
// a spec that signs an account in again instead of reusing its session
// (signIn, apiToken) shows here.
let totpWaited = 0;
process.on('exit', () => {
  if (totpWaited > 0) process.stderr.write(`[e2e] waited ${(totpWaited / 1000).toFixed(1)} s for fresh two-factor codes\n`);
});

// Sessions of the two-factor accounts per server, reused by signIn and
// apiToken: each new sign-in costs a code, and the server accepts a code
// only once, so a spec signing admin in a fourth time within 30 s would
// wait for the next step. Signing in once per server is what a person
// does too; the sign-in itself is tested where it is the subject
// (twofactor.spec.mjs, accounts.spec.mjs).
const browserSessions = new Map(); // origin|username -> cookies
const apiSessions = new Map(); // origin|username -> token

// Signs username in through the login form of lang (with the second step
// for an account with two-factor sign-in); fails unless the server answers
// 303 and the header then shows a sign-out button.
export async function signIn(page, lang, username, password) {
  let resp = await page.goto(`/${lang}/login`);
  assert.equal(resp.status(), 200, `GET /${lang}/login`);
  const origin = new URL(page.url()).origin;
  const key = `${origin}|${username}`;
  if (browserSessions.has(key)) {
    // The session this process opened before, if the server still honours
    // it (not signed out, not expired): landing where a sign-in lands.
    await page.context().addCookies(browserSessions.get(key));
    const home = await page.goto(`/${lang}/home`);
    if (home?.status() === 200 && await signedInAs(page) === username) return;
    browserSessions.delete(key);
    resp = await page.goto(`/${lang}/login`);
    assert.equal(resp.status(), 200, `GET /${lang}/login`);
  }
  const form = page.locator('main form[action$="/login"]');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  const post = await submitWith(page, form.locator('button[type="submit"]'));
  assert.equal(post.status(), 303, `${username} signs in on /${lang}/login (POST answered ${post.status()})`);
  if (new URL(page.url()).pathname === `/${lang}/login/code`) {
    let answer;
    for (let i = 0; i < 3; i++) { // a step used outside this process is refused: the next one
      const codeForm = page.locator('main form[action$="/login/code"]');
      await codeForm.locator('input[name="code"]').fill(await freshCode(origin, username));
      answer = await submitWith(page, codeForm.locator('button[type="submit"]'));
      if (answer.status() === 303) break;
    }
    assert.equal(answer.status(), 303, `${username} gives the code on /${lang}/login/code (POST answered ${answer.status()})`);
  }
  assert.equal(await page.locator('header form[action$="/logout"]').count(), 1, `${username} is signed in`);
  if (TWO_FACTOR_USERS.has(username)) browserSessions.set(key, await page.context().cookies(origin));
}

// The username the page's header names as signed in, or '' for the public.
async function signedInAs(page) {
  if (await page.locator('header form[action$="/logout"]').count() !== 1) return '';
  const a = page.locator('header .account a[href$="/account"]');
  return (await a.count()) === 1 ? (await a.textContent()).trim() : '';
}

// Navigates and asserts the status of the main document.
export async function visit(page, url, status = 200) {
  const resp = await timed('page load', () => page.goto(url, { waitUntil: 'load' }));
  assert.ok(resp, `no response for ${url}`);
  assert.equal(resp.status(), status, `GET ${url}`);
  return resp;
}

// Opens every <details> so that axe also checks what they reveal.
export async function openAllDetails(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
}

// The checks every page of a journey gets, as subtests that do not stop the
// journey when they fail: <html lang dir>, axe at desktop width and, for the
// main pages (phone: true), a screenshot and axe at phone width as well.
// Screenshots are taken first, so they exist even when a check fails.
// With html (a list), the page's HTML is saved too, for validateSavedHTML.
export async function checkPage(t, page, { lang, label, shot, phone = false, html }) {
  if (html) await saveHTML(page, shot, html);
  await openAllDetails(page);
  const where = `${label} (${new URL(page.url()).pathname})`;
  await screenshot(page, `${shot}-${VIEWPORTS.desktop.width}`);
  await t.test(`${label}: <html lang="${lang}" dir="${DIRS[lang]}">`, () => assertLangDir(page, lang));
  await t.test(`${label}: axe at ${VIEWPORTS.desktop.width}px`, () =>
    assertNoAxeViolations(page, `${where} @${VIEWPORTS.desktop.width}px`));
  if (phone) {
    await page.setViewportSize(VIEWPORTS.phone);
    try {
      await screenshot(page, `${shot}-${VIEWPORTS.phone.width}`);
      await t.test(`${label}: axe at ${VIEWPORTS.phone.width}px`, () =>
        assertNoAxeViolations(page, `${where} @${VIEWPORTS.phone.width}px`));
      await t.test(`${label}: no wider than ${VIEWPORTS.phone.width}px`, async () => {
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 0, `${where} is ${over}px wider than the ${VIEWPORTS.phone.width}px phone`);
      });
    } finally {
      await page.setViewportSize(VIEWPORTS.desktop);
    }
  }
}

// The text of the first element matching selector in <main>, trimmed.
export async function mainText(page, selector = 'main') {
  const loc = selector === 'main' ? page.locator('main') : page.locator('main').locator(selector).first();
  return (await loc.innerText()).replace(/\s+/g, ' ').trim();
}

// The message catalogue the binary was built with (flat keys; plural
// messages are objects of forms).
const catalogues = {};
export function msg(lang, key) {
  catalogues[lang] ??= JSON.parse(readFileSync(path.join(REPO_ROOT, 'internal', 'i18n', 'locales', `${lang}.json`), 'utf8'));
  const m = catalogues[lang][key];
  assert.ok(m !== undefined, `message ${key} is missing from the ${lang} catalogue`);
  return m;
}

// The local calendar date (YYYY-MM-DD) of an instant in a time zone.
export function localDate(instant, timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

// JSON API calls with an optional bearer token.
export async function api(base, method, apiPath, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(base + '/api/v1' + apiPath, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual', signal: AbortSignal.timeout(20_000),
  });
  const text = await r.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: r.status, json, text };
}

// An API token for username (with a code for an account with two-factor
// sign-in).
export async function apiToken(base, username, password) {
  const key = `${new URL(base).origin}|${username}`;
  if (apiSessions.has(key)) {
    // Still valid (not revoked by a test, not expired)?
    const me = await api(base, 'GET', '/me', { token: apiSessions.get(key) });
    if (me.status === 200 && me.json?.username === username) return apiSessions.get(key);
    apiSessions.delete(key);
  }
  let r;
  for (let i = 0; i < 3; i++) {
    const body = { username, password };
    if (TWO_FACTOR_USERS.has(username)) body.code = await freshCode(new URL(base).origin, username);
    r = await api(base, 'POST', '/sessions', { body });
    if (r.status !== 401 || r.json?.error?.field !== 'code') break;
  }
  assert.equal(r.status, 201, `POST /api/v1/sessions for ${username}: ${r.text}`);
  assert.ok(r.json?.token, 'the session answer carries a token');
  if (TWO_FACTOR_USERS.has(username)) apiSessions.set(key, r.json.token);
  return r.json.token;
}

// --- servers -----------------------------------------------------------------

// Set by run.sh: the binary it built, the seeded database (a template that
// specs copy, never open), and the run's temporary directory.
export const CONCORD_BIN = process.env.CONCORD_BIN || path.join(OUTPUT_DIR, 'concord');
export function templateDB() { return requiredEnv('E2E_TEMPLATE_DB'); }
export function workDir() { return requiredEnv('E2E_WORK_DIR'); }

// A free loopback port: the kernel picks one, we release it and hand it on.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// The environment of a child concord process: the caller's, without any
// CONCORD_* variable (they are flag defaults), plus extra.
function concordEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONCORD_')));
  return { ...env, ...extra };
}

// Runs the concord command line; resolves with its exit code and output.
export function concordCLI(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(CONCORD_BIN, args, { env: concordEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

// Creates an account with the CLI (the password goes on stdin).
export async function createUser(db, { username, password, role, state, org }) {
  const args = ['user', 'create', '-username', username, '-role', role, '--database', db];
  if (state) args.push('-state', state);
  if (org) args.push('-org', String(org));
  const r = await concordCLI(args, password + '\n');
  assert.equal(r.code, 0, `concord user create ${username} exited ${r.code}: ${r.out}`);
}

// Copies the seeded template database into dir (with its WAL, if any, and
// its secret key).
export function copyTemplateDB(dir) {
  mkdirSync(dir, { recursive: true });
  const src = templateDB();
  const dst = path.join(dir, 'concord.db');
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(src + suffix)) copyFileSync(src + suffix, dst + suffix);
  }
  // The key that seals the TOTP secrets lives beside the database (the
  // default --secret-key-file): the copy needs it too.
  copyFileSync(path.join(path.dirname(src), 'secret.key'), path.join(dir, 'secret.key'));
  return dst;
}

const running = new Set();
// A server that outlives its spec would keep run.sh waiting: kill what is
// left when the process exits (run.sh also kills what the pid files name).
process.on('exit', () => { for (const s of running) { try { s.child.kill('SIGKILL'); } catch { /* gone */ } } });

// One `concord serve` process on a fixed loopback port, which a spec starts,
// stops and restarts (for instance with --clock-offset, to move past a
// deadline). Its output is appended to output/server-<name>.log and its pid
// is kept in <work dir>/pids/ for run.sh's clean-up.
export class ConcordServer {
  constructor({ name, db, port }) {
    Object.assign(this, { name, db, port, child: null });
    this.baseURL = `http://127.0.0.1:${port}`;
    this.logFile = path.join(OUTPUT_DIR, `server-${name}.log`);
    this.pidFile = path.join(workDir(), 'pids', `${name}.pid`);
    mkdirSync(path.dirname(this.pidFile), { recursive: true });
  }

  static async create({ name, db }) {
    return new ConcordServer({ name, db, port: await freePort() });
  }

  // Starts the server (clockOffset: a Go duration such as "48h" or
  // "172800s"; flags: more command-line flags, such as --mail-dir) and waits
  // up to 30 s for GET /healthz to answer 200.
  async start({ clockOffset = '', flags = [] } = {}) {
    assert.equal(this.child, null, `server ${this.name} is already running`);
    const args = ['serve', '--database', this.db, '--addr', `127.0.0.1:${this.port}`, ...flags];
    if (clockOffset) args.push('--clock-offset', clockOffset);
    appendFileSync(this.logFile, `\n=== ${new Date().toISOString()} concord ${args.join(' ')}\n`);
    const log = openSync(this.logFile, 'a');
    const child = spawn(CONCORD_BIN, args, { env: concordEnv(), stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.clockOffset = clockOffset;
    running.add(this);
    let exited = null;
    child.once('exit', (code, signal) => { exited = { code, signal }; running.delete(this); });
    writeFileSync(this.pidFile, String(child.pid));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exited) {
        this.child = null;
        assert.fail(`server ${this.name} exited (${exited.code ?? exited.signal}) before answering /healthz:\n${this.logTail()}`);
      }
      try {
        const r = await fetch(this.baseURL + '/healthz', { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) return this;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        await this.stop();
        assert.fail(`server ${this.name}: /healthz did not answer 200 within 30 s:\n${this.logTail()}`);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  // Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it.
  async stop() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((res) => child.once('exit', res));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    running.delete(this);
    rmSync(this.pidFile, { force: true });
  }

  async restart(opts) {
    await this.stop();
    return this.start(opts);
  }

  logTail(n = 40) {
    try { return readFileSync(this.logFile, 'utf8').split('\n').slice(-n).join('\n'); } catch { return ''; }
  }
}

// --- the Nu HTML Checker -------------------------------------------------------

// Runs a command, feeding it input on stdin; resolves with its exit code and
// output (never rejects on a non-zero exit; rejects if it cannot start).
export function run(cmd, args, { input, cwd = E2E_DIR, env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
    child.stdin.on('error', () => {}); // EPIPE if the program exits early; its exit code tells
    child.stdin.end(input ?? '');
  });
}

export const VNU_JAR = path.join(E2E_DIR, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
// A short-lived JVM: the C1 compiler alone halves vnu's start-up; it then
// needs a larger thread stack than the default (vnu asks for >= 512k).
export const VNU_JVM_OPTS = ['-Xss4m', '-XX:TieredStopAtLevel=1'];
export const HTML_DIR = path.join(OUTPUT_DIR, 'html');
mkdirSync(HTML_DIR, { recursive: true });

// null when java runs, else why not (the vnu checks then fail with it).
let javaCheck;
export function requireJava() {
  javaCheck ??= run('java', ['-version'], { timeoutMs: 30_000 }).then(
    (r) => (r.code === 0 ? null : `"java -version" exited ${r.code}: ${r.stderr}`),
    (err) => (err.code === 'ENOENT'
      ? 'java is not installed: the Nu HTML Checker (vnu.jar) needs a Java runtime (Debian: apt-get install -y default-jre-headless)'
      : `java cannot run: ${err.message}`));
  return javaCheck;
}

// Where vnu points: line.column, or line.column-line.column over lines.
function place(m) {
  const last = m.lastLine ?? m.firstLine ?? 1;
  const first = m.firstLine ?? last;
  const col = m.firstColumn ?? 1; // the service leaves it out where a range starts a line
  return first === last ? `${last}.${col}-${m.lastColumn}` : `${first}.${col}-${last}.${m.lastColumn}`;
}

// Shows the offending source line around vnu's column range (the range's
// last line, from its start when the range began on an earlier line).
function snippet(lines, m) {
  const lineNo = m.lastLine ?? m.firstLine ?? 1;
  const line = lines[lineNo - 1] ?? '';
  const start = (m.firstLine ?? lineNo) === lineNo ? (m.firstColumn ?? 1) : 1;
  const from = Math.max(0, start - 1 - 40);
  const to = Math.min(line.length, (m.lastColumn ?? line.length) + 40);
  return (from > 0 ? '…' : '') + line.slice(from, to).trim() + (to < line.length ? '…' : '');
}

// vnu's messages for one page, grouped by message: each distinct message
// once, with its count and its first three places (line.column and source).
export function formatVnu(messages, html, label) {
  const lines = html.split('\n');
  const groups = new Map();
  for (const m of messages) {
    const key = `${m.type}${m.subType ? `/${m.subType}` : ''}: ${m.message}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  const out = [`${label}: ${messages.length} vnu error(s), ${groups.size} distinct:`];
  for (const [key, ms] of groups) {
    out.push(`  ${ms.length}× ${key}`);
    for (const m of ms.slice(0, 3)) out.push(`    at ${place(m)}: ${snippet(lines, m)}`);
    if (ms.length > 3) out.push(`    … and ${ms.length - 3} more`);
  }
  return out.join('\n');
}

// The suite's one vnu service (run.sh starts `nu.validator.servlet.Main` once
// and sets E2E_VNU_URL): a JVM per spec file cost ~3 s of CPU each, some 30
// of them a run. Without it (a spec run by hand) vnuFiles starts the
// command-line checker instead. Both run the same checker on the same bytes.
export const VNU_URL = process.env.E2E_VNU_URL || '';
const VNU_LOG = path.join(OUTPUT_DIR, 'vnu.log');

// Waits (once per process) until the service answers: it reads the HTML
// specification at start-up, which takes a few seconds on an idle machine.
let vnuReady;
function vnuServiceReady() {
  vnuReady ??= (async () => {
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        const r = await fetch(VNU_URL, { signal: AbortSignal.timeout(5000) });
        await r.arrayBuffer();
        if (r.ok) return;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        let log = '';
        try { log = readFileSync(VNU_LOG, 'utf8').split('\n').slice(-30).join('\n'); } catch { /* none */ }
        assert.fail(`the vnu service at ${VNU_URL} did not answer within 180 s:\n${log}`);
      }
      await new Promise((res) => setTimeout(res, 250));
    }
  })();
  return vnuReady;
}

// vnu's errors for one HTML file, from the service. `--errors-only` on the
// command line keeps the messages of type error and non-document-error;
// the service also sends info and warnings, dropped here the same way.
async function vnuServiceCheck(file) {
  await vnuServiceReady();
  const r = await fetch(`${VNU_URL}/?out=json`, {
    method: 'POST', headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: readFileSync(file),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await r.text();
  let messages;
  try {
    ({ messages } = JSON.parse(text));
  } catch {
    assert.fail(`the vnu service answered ${r.status} without a JSON report for ${file}:\n${text.slice(0, 2000)}`);
  }
  return messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
}

// Checks that saveHTML started as soon as the page was saved, so that vnu
// works while the journey goes on: file -> promise of its messages.
const vnuPending = new Map();
function vnuStart(file) {
  const p = vnuServiceCheck(file);
  p.catch(() => {}); // awaited (and reported) by vnuFiles
  vnuPending.set(file, p);
}

// Validates HTML files (with the suite's vnu service, else one JVM);
// resolves with a Map from each file to its messages. Fails when java or
// vnu.jar is missing, or vnu says nothing.
export async function vnuFiles(files) {
  if (VNU_URL) {
    const results = await Promise.all(files.map((f) => vnuPending.get(f) ?? vnuServiceCheck(f)));
    for (const f of files) vnuPending.delete(f);
    return new Map(files.map((f, i) => [f, results[i]]));
  }
  const problem = await requireJava();
  assert.equal(problem, null, problem ?? '');
  assert.ok(existsSync(VNU_JAR), `${VNU_JAR} is missing: run npm ci in e2e/`);
  const v = await run('java', [...VNU_JVM_OPTS, '-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], { timeoutMs: 120_000 });
  let messages;
  try {
    ({ messages } = JSON.parse(v.stderr));
  } catch {
    assert.fail(`vnu exited ${v.code} without a JSON report:\n${v.stderr}\n${v.stdout}`);
  }
  const byFile = new Map(files.map((f) => [f, []]));
  for (const m of messages) {
    const file = m.url ? fileURLToPath(m.url) : undefined;
    assert.ok(byFile.has(file), `vnu reported on an unexpected file: ${JSON.stringify(m)}`);
    byFile.get(file).push(m);
  }
  return byFile;
}

// --- the HTML of the pages a journey visits ------------------------------------

// Keeps the last document response of page's main frame, so that checkPage
// can save the HTML exactly as the server sent it (for vnu).
const lastDocument = new WeakMap();
export function trackDocuments(page) {
  page.on('response', (r) => {
    const req = r.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400)) {
      lastDocument.set(page, r);
    }
  });
  return page;
}

// Saves the HTML of page's current document as output/html/<name>.html and
// adds the file to list (for validateSavedHTML).
export async function saveHTML(page, name, list) {
  const r = lastDocument.get(page);
  assert.ok(r, `trackDocuments() was not called for the page of ${name}`);
  assert.equal(new URL(r.url()).pathname, new URL(page.url()).pathname, `the last document response is the page shown (${name})`);
  const file = path.join(HTML_DIR, `${name}.html`);
  writeFileSync(file, await r.text());
  if (VNU_URL) vnuStart(file);
  list.push({ file, label: `${name} (${new URL(page.url()).pathname})` });
}

// One subtest per saved page: no vnu errors. vnu runs once for all of them.
export async function validateSavedHTML(t, saved) {
  if (!saved.length) return;
  let byFile;
  await t.test(`vnu runs on the ${saved.length} page(s) visited`, async () => { byFile = await vnuFiles(saved.map((s) => s.file)); });
  if (!byFile) return;
  for (const { file, label } of saved) {
    await t.test(`HTML validity (vnu): ${label}`, () => {
      const messages = byFile.get(file);
      assert.equal(messages.length, 0, formatVnu(messages, readFileSync(file, 'utf8'), label));
    });
  }
}

// decodeQP undoes quoted-printable (soft line breaks, =XX bytes) over a
// whole message written by --mail-dir: enough to read the links of its text
// part.
export function decodeQP(s) {
  const bytes = Buffer.from(s.replace(/=\r?\n/g, ''), 'latin1');
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x3d && /^[0-9A-F]{2}$/.test(bytes.toString('latin1', i + 1, i + 3))) {
      out.push(parseInt(bytes.toString('latin1', i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(bytes[i]);
    }
  }
  return Buffer.from(out).toString('utf8');
}
