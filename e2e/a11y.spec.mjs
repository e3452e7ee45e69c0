// Accessibility, language/direction, status, page weight and screenshots of
// the main public pages in English and Arabic (RTL).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, LANGS, VIEWPORTS, MAX_HTML_TRANSFER_BYTES,
  launchBrowser, newContext, assertNoAxeViolations, assertLangDir, screenshot,
} from './lib.mjs';

// Each page: how to reach it (a path after /<lang>, a raw path, or a link to
// follow) and the expected status.
const PAGES = [
  { name: 'home', path: '/', status: 200 },
  { name: 'states', path: '/states', status: 200 },
  { name: 'state-FRA', path: '/states/FRA', status: 200 },
  { name: 'organizations', path: '/organizations', status: 200 },
  { name: 'organization', follow: { from: '/organizations', link: /\/organizations\/\d+$/ }, status: 200 },
  { name: 'login', path: '/login', status: 200 },
  // The procedural log must fit a phone (it was 682 px wide).
  { name: 'log', path: '/log', status: 200, fitsPhone: true },
  // The co-facilitator balance checker with a pair that fails two rules.
  { name: 'cofac-check', path: '/cofacilitators/check?dtg=DTG-1&person1=Ana&state1=FRA&gender1=female&expertise1=CERT&person2=Jonas&state2=NOR&gender2=male&expertise2=norms', status: 200 },
  { name: 'error-404', path: '/states/XXX', status: 404 },
  // An unknown language prefix: no language in the URL, so the server picks
  // it from Accept-Language (the browser locale: Arabic run) or falls back to English.
  { name: 'error-unknown-prefix', raw: '/zz/', status: 404 },
];

// Navigates to the page and returns the main document's response.
async function open(page, lang, spec) {
  if (spec.follow) {
    const listResp = await page.goto(`/${lang}${spec.follow.from}`, { waitUntil: 'load' });
    assert.equal(listResp.status(), 200, `GET /${lang}${spec.follow.from}`);
    const links = page.locator(`main a[href^="/${lang}/organizations/"]`);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const index = hrefs.findIndex((h) => spec.follow.link.test(h));
    assert.ok(index >= 0, `no organisation link on /${lang}${spec.follow.from} (links: ${hrefs.join(', ') || 'none'})`);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()),
      links.nth(index).click(),
    ]);
    await page.waitForLoadState('load');
    return resp;
  }
  const url = spec.raw ?? `/${lang}${spec.path}`;
  return page.goto(url, { waitUntil: 'load' });
}

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const lang of LANGS) {
  describe(`${lang} pages`, () => {
    for (const spec of PAGES) {
      test(`${lang} ${spec.name}`, async (t) => {
        const context = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US' });
        const page = await context.newPage();
        try {
          const resp = await open(page, lang, spec);
          assert.ok(resp, 'no response for the main document');
          const label = `${lang} ${spec.name} (${new URL(page.url()).pathname})`;

          // Screenshots first, so they exist even when a check below fails.
          await screenshot(page, `${lang}-${spec.name}-${VIEWPORTS.desktop.width}`);

          await t.test('HTTP status', () => {
            assert.equal(resp.status(), spec.status, `${label}: status`);
          });
          await t.test('<html lang> and dir', () => assertLangDir(page, lang));
          await t.test(`HTML transfer size < ${MAX_HTML_TRANSFER_BYTES} bytes`, async () => {
            const sizes = await resp.request().sizes();
            const transfer = sizes.responseHeadersSize + sizes.responseBodySize;
            t.diagnostic(`${label}: ${transfer} bytes transferred (${sizes.responseBodySize} body)`);
            assert.ok(sizes.responseBodySize > 0, `${label}: empty body`);
            assert.ok(transfer < MAX_HTML_TRANSFER_BYTES,
              `${label}: HTML document transferred ${transfer} bytes, limit ${MAX_HTML_TRANSFER_BYTES}`);
          });
          await t.test(`axe at ${VIEWPORTS.desktop.width}px`, () =>
            assertNoAxeViolations(page, `${label} @${VIEWPORTS.desktop.width}px`));

          await page.setViewportSize(VIEWPORTS.phone);
          await screenshot(page, `${lang}-${spec.name}-${VIEWPORTS.phone.width}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 0) t.diagnostic(`WARNING ${label}: page is ${overflow}px wider than the ${VIEWPORTS.phone.width}px phone viewport`);
          if (spec.fitsPhone) assert.equal(overflow, 0, `${label}: wider than the phone viewport`);
          await t.test(`axe at ${VIEWPORTS.phone.width}px`, () =>
            assertNoAxeViolations(page, `${label} @${VIEWPORTS.phone.width}px`));
        } finally {
          await context.close();
        }
      });
    }
  });
}
