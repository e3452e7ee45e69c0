// One's own data (issue 11), in English and in Arabic: a delegate of France
// reads what Concord keeps about them, downloads it as JSON, records France's
// classification, and deletes the account with their password; the public
// log then names "a former delegate of France", never the person, and
// `concord audit verify` still passes. Each page
// is checked with axe at desktop and phone widths. Screenshots:
// output/screenshots/pdata-*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  LANGS, launchBrowser, newContext, submitWith, signIn, visit, checkPage, msg, workDir, copyTemplateDB,
  concordCLI, ConcordServer, api, apiToken,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('personal data', { concurrency: true }, () => {
  for (const lang of LANGS) {
    test(`${lang}: export, delete, the record names the State`, { timeout: 120_000 }, (t) => journey(t, lang));
  }
});

async function journey(t, lang) {
  const L = `/${lang}`;
  const shot = (step) => `pdata-${lang}-${step}`;
  const db = copyTemplateDB(path.join(workDir(), `pdata-${lang}`));
  const username = `leaving-${lang}`;
  const pw = `pw ${randomBytes(9).toString('base64url')} long`;
  const server = await ConcordServer.create({ name: `pdata-${lang}`, db });
  const r = await concordCLI(['user', 'create', '-username', username, '-role', 'delegate', '-state', 'FRA', '--database', db], pw + '\n');
  assert.equal(r.code, 0, `concord user create: ${r.out}`);
  await server.start();
  const context = await newContext(browser, { baseURL: server.baseURL, acceptDownloads: true });
  const page = await context.newPage();
  try {
    // An act of France by this delegate, through the API.
    const token = await apiToken(server.baseURL, username, pw);
    const put = await api(server.baseURL, 'PUT', '/states/FRA/classification', { token, body: { category: 'developed' } });
    assert.equal(put.status, 200, put.text);

    await signIn(page, lang, username, pw);
    await visit(page, `${L}/account/data`);
    assert.ok((await page.locator('main').innerText()).includes(msg(lang, 'data.positions.what')));
    await checkPage(t, page, { lang, label: 'your data', shot: shot('01-data'), phone: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`main a[href="${L}/account/data/export"]`).click()]);
    const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(data.account.username, username);
    assert.equal(data.account.state, 'FRA');
    assert.ok(data.audit.some((e) => e.action === 'classification.set'), 'the export lists the act');

    await visit(page, `${L}/account/delete`);
    const form = page.locator(`main form[action$="${L}/account/delete"]`);
    await form.locator('input[name="password"]').fill('not the password at all');
    let resp = await submitWith(page, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 422, 'a wrong password is refused');
    await checkPage(t, page, { lang, label: 'delete: wrong password', shot: shot('02-delete'), phone: true });
    await page.locator(`main form[action$="${L}/account/delete"] input[name="password"]`).fill(pw);
    resp = await submitWith(page, page.locator(`main form[action$="${L}/account/delete"] button[type="submit"]`));
    assert.equal(resp.status(), 303, 'the account is deleted');
    assert.equal((await page.locator('main [role="status"]').innerText()).trim(), msg(lang, 'delete.done'));

    await visit(page, `${L}/log?kind=classification`);
    const log = await page.locator('main').innerText();
    const former = msg(lang, 'log.actor.former_delegate').split('{{')[0].trim();
    assert.ok(log.includes(former), `the log names a former delegate (${former})`);
    assert.ok(!log.includes(username), 'the log does not name the person');
    await checkPage(t, page, { lang, label: 'log after deletion', shot: shot('03-log') });
    assert.equal((await api(server.baseURL, 'GET', '/me/export', { token })).status, 401, 'the API token ended with the account');
    const verify = await concordCLI(['audit', 'verify', '--database', db]);
    assert.equal(verify.code, 0, `concord audit verify after the deletion: ${verify.out}`);
  } finally {
    await context.close();
    await server.stop();
  }
}
