// The process's documents. The Secretariat publishes a working paper with
// an English file and an Arabic translation pending: a file whose name does
// not match its content comes back at 415 with what was typed; the
// corrected form is saved (303). The public then reads the document in
// Arabic at phone width, its Arabic version first and marked pending, and
// downloads the English file as an attachment. Pages are checked with axe.
// Screenshots: document-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  env, launchBrowser, newContext, submitWith, signIn, visit, checkPage, mainText, msg, get,
  trackDocuments, validateSavedHTML, formTo,
} from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const field = (page, id) => page.locator(`main [id="${id}"]`);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('the Secretariat publishes a document; the public reads it in Arabic on a phone', { timeout: 180_000 }, async (t) => {
  const tag = randomBytes(2).toString('hex');
  const symbol = `A/AC.GM/2026/WP.${parseInt(tag, 16)}`;
  const title = { en: `Working paper ${tag}`, ar: `ورقة عمل ${tag}` };
  const saved = [];
  const sec = await newContext(browser);
  const pub = await newContext(browser, { locale: 'ar' });
  try {
    const page = trackDocuments(await sec.newPage());
    await signIn(page, 'en', 'admin', env.adminPassword);
    await visit(page, '/en/documents/new');
    await field(page, 'symbol').fill(symbol);
    await field(page, 'type').selectOption('working-paper');
    await field(page, 'authors').fill('secretariat');
    await field(page, 'title.en').fill(title.en);
    await field(page, 'title.ar').fill(title.ar);
    await field(page, 'versions.en').selectOption('original');
    await field(page, 'versions.ar').selectOption('pending');
    await field(page, 'file.en').setInputFiles({ name: 'paper.docx', mimeType: 'application/pdf', buffer: PDF });
    const form = page.locator(`main ${formTo('/en/documents')}`);
    let resp = await submitWith(page, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 415, 'a misnamed file answers 415 (unsupported)');
    assert.ok((await mainText(page)).includes(msg('en', 'document.error.file_name')), 'the misnamed file is explained');
    assert.equal(await field(page, 'title.ar').inputValue(), title.ar, 'the Arabic title is kept');
    await checkPage(t, page, { html: saved, lang: 'en', label: 'document form with errors', shot: 'document-en-01-form-errors' });

    await field(page, 'file.en').setInputFiles({ name: 'paper.pdf', mimeType: 'application/pdf', buffer: PDF });
    resp = await submitWith(page, form.locator('button[type="submit"]'));
    assert.equal(resp.status(), 303, 'the corrected document is published');
    const id = new URL(page.url()).pathname.match(/^\/en\/documents\/(\d+)$/)?.[1];
    assert.ok(id, `redirected to the document: ${page.url()}`);

    const reader = trackDocuments(await pub.newPage());
    await reader.setViewportSize({ width: 390, height: 844 });
    await visit(reader, `/ar/documents/${id}`);
    const first = reader.locator('main ul.versions > li').first();
    assert.equal(await first.getAttribute('lang'), 'ar', 'the Arabic version comes first');
    assert.ok((await first.innerText()).includes(msg('ar', 'document.status.pending')), 'marked pending');
    assert.ok((await mainText(reader)).includes(title.ar), 'the Arabic title');
    await checkPage(t, reader, { html: saved, lang: 'ar', label: 'ar document', shot: 'document-ar-02-page', phone: true });

    const href = await reader.locator('main a[href*="/documents/files/"]').first().getAttribute('href');
    const file = await get(href);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.match(file.headers.get('content-disposition') ?? '', /^attachment/);
  } finally {
    await sec.close();
    await pub.close();
    await validateSavedHTML(t, saved);
  }
});
