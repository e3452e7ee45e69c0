// Every page with a form that writes (a <form method="post"> in <main>), in
// English and Arabic, as the role that is shown that form: at 390 px the
// page must be no wider than the phone (text boxes were 587 px wide, and
// Arabic pages opened shifted sideways). The list follows the GET routes of
// the HTML route tables (internal/web) whose page shows a role such a form
// with the demo data; each page must still show it, so the list cannot go
// stale silently. Runs against the suite's shared server. Screenshots: phone-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  env, LANGS, VIEWPORTS, launchBrowser, newContext, signIn, visit, screenshot,
} from './lib.mjs';

// Who sees the form, and the pages (after /{lang}) where they see it. A
// decided decision offers no position or act any more, so the decision form
// is taken on the demo's open one (14, a silence procedure still running).
export const FORM_PAGES = {
  anonymous: ['/login', '/password/forgot'],
  'delegate-fra': [
    '/account/sessions',
    '/account/email',
    '/states/FRA/edit',
    '/decisions/14',
    '/briefers/new',
    '/topics/4',
    '/cofacilitators/DTG-1',
  ],
  chair: [
    '/decisions',
    '/decisions/14',
    '/topics',
    '/agendas/new',
    '/agendas/2',
    '/agendas/2/edit',
  ],
  admin: [
    '/admin/users',
    '/organizations/new',
    '/organizations/1/edit',
    '/accreditation',
    '/accreditation/rules',
    '/briefers/30',
    '/cofacilitators/DTG-2',
    '/rules/agenda/new',
    '/rules/cofacilitators/new',
    '/rules/dtg-topics/new',
    '/rules/briefers/new',
  ],
};

const PASSWORDS = {
  'delegate-fra': () => env.delegatePassword,
  chair: () => env.chairPassword,
  admin: () => env.adminPassword,
};

// Forms whose screenshots are kept at both widths (the others at 390 px only).
const SHOTS = new Set(['/states/FRA/edit', '/decisions/14', '/rules/briefers/new', '/decisions', '/accreditation']);

// How far the page overflows the viewport, and the elements that stick out
// (to say what to fix).
async function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const over = document.documentElement.scrollWidth - width;
    const culprits = [];
    if (over > 0) {
      // What sticks out of the page (not what scrolls inside its own region).
      const scrolls = (el) => { for (let a = el.parentElement; a; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
      for (const el of document.querySelectorAll('main *, header *')) {
        if (scrolls(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) {
          const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
          culprits.push(`${name} [${Math.round(r.left)}..${Math.round(r.right)}]`);
          if (culprits.length >= 8) break;
        }
      }
    }
    return { over, culprits };
  });
}

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const lang of LANGS) {
  describe(`${lang} forms at ${VIEWPORTS.phone.width}px`, () => {
    for (const [role, pages] of Object.entries(FORM_PAGES)) {
      test(`${lang} as ${role}`, async (t) => {
        const context = await newContext(browser, { locale: lang === 'ar' ? 'ar' : 'en-US', viewport: VIEWPORTS.phone });
        const page = await context.newPage();
        try {
          if (role !== 'anonymous') await signIn(page, lang, role, PASSWORDS[role]());
          for (const p of pages) {
            await t.test(`${lang} ${p} as ${role}`, async () => {
              await page.setViewportSize(VIEWPORTS.phone);
              await visit(page, `/${lang}${p}`);
              const shot = `phone-${lang}-${role}-${p.slice(1).replace(/[^a-z0-9]+/gi, '-')}`;
              await screenshot(page, `${shot}-${VIEWPORTS.phone.width}`);
              const forms = await page.locator('main form[method="post" i]').count();
              assert.ok(forms > 0, `${lang}${p} shows ${role} a form that writes`);
              const { over, culprits } = await overflow(page);
              assert.ok(over <= 0,
                `/${lang}${p} as ${role} is ${over}px wider than the ${VIEWPORTS.phone.width}px phone; sticking out: ${culprits.join(', ')}`);
              // Nothing scrolled sideways when the page opens (Arabic opened shifted).
              const scrollX = await page.evaluate(() => window.scrollX);
              assert.equal(scrollX, 0, `/${lang}${p} opens scrolled sideways`);
              if (SHOTS.has(p)) {
                await page.setViewportSize(VIEWPORTS.desktop);
                await screenshot(page, `${shot}-${VIEWPORTS.desktop.width}`);
              }
            });
          }
        } finally {
          await context.close();
        }
      });
    }
  });
}
