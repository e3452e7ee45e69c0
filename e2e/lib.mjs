// Shared helpers for the e2e specs (not a spec itself).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

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
};

export const LANGS = ['en', 'ar'];
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

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function newContext(browser, options = {}) {
  return browser.newContext({
    baseURL: BASE_URL,
    viewport: VIEWPORTS.desktop,
    locale: 'en-US',
    ...options,
  });
}

// Runs axe with the WCAG A/AA tags and returns its violations. Legacy mode
// runs axe in the page itself instead of finishing in an extra blank page:
// about twice as fast, and the same rules (the pages have no iframes).
export async function axeViolations(page) {
  const res = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  return res.violations;
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

export async function screenshot(page, name) {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
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
