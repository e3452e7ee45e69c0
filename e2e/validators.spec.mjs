// Third-party validators: Redocly (OpenAPI), jsonschema against the Popolo
// draft-03 schemas, and the Nu HTML Checker (vnu) on rendered pages.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Validator } from 'jsonschema';
import {
  E2E_DIR, REPO_ROOT, LANGS, get, run, HTML_DIR, validateSavedHTML,
} from './lib.mjs';

const require = createRequire(import.meta.url);


// ---------------------------------------------------------------- OpenAPI --
describe('OpenAPI description', () => {
  test('redocly lint internal/api/openapi.json passes', async () => {
    const spec = path.join(REPO_ROOT, 'internal', 'api', 'openapi.json');
    assert.ok(existsSync(spec), `${spec} is missing`);
    const cli = require.resolve('@redocly/cli/bin/cli.js');
    const r = await run(process.execPath, [cli, 'lint', '--format', 'stylish', spec], {
      cwd: REPO_ROOT, // a redocly.yaml at the repo root, if one is added, applies
      env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    assert.equal(r.code, 0, `redocly lint exited ${r.code}${r.signal ? ` (${r.signal})` : ''}:\n${r.stdout}\n${r.stderr}`);
  });
});

// ----------------------------------------------------------------- Popolo --
// Copied into the repository, with their source and licence (see README.md there).
const SCHEMA_DIR = path.join(E2E_DIR, 'testdata', 'popolo-schemas');
const SCHEMA_BASE = 'http://www.popoloproject.com/schemas/';

describe('Popolo export /api/v1/popolo', () => {
  let validator, exp;
  before(async () => {
    assert.ok(existsSync(SCHEMA_DIR), `Popolo schemas not found at ${SCHEMA_DIR}`);
    validator = new Validator();
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'));
    for (const f of files) {
      const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, f), 'utf8'));
      assert.ok(schema.id, `${f} has no "id"`);
      validator.addSchema(schema, schema.id); // registered under its id: nothing is ever fetched
    }
    assert.ok(files.length >= 16, `only ${files.length} schema files in ${SCHEMA_DIR}`);
    assert.deepEqual(validator.unresolvedRefs, [], 'every $ref resolves to a registered schema');

    const r = await get('/api/v1/popolo');
    assert.equal(r.status, 200, 'GET /api/v1/popolo');
    assert.match(r.headers.get('content-type') ?? '', /json/, 'Content-Type of /api/v1/popolo');
    exp = await r.json();
    // The accredited organisations of the demo's decided 2025 round, in the
    // same three collections, are validated with the rest.
    const a = await get('/api/v1/accreditation/windows/plenary-2025/popolo');
    assert.equal(a.status, 200, 'GET /api/v1/accreditation/windows/plenary-2025/popolo');
    const acc = await a.json();
    assert.ok(acc.memberships.length >= 54, `${acc.memberships.length} accredited memberships, want at least 54`);
    exp.organizations.push(...acc.organizations);
    exp.memberships.push(...acc.memberships);
  });

  test('is not empty: persons, memberships and at least 195 State organisations', () => {
    for (const k of ['persons', 'organizations', 'memberships']) {
      assert.ok(Array.isArray(exp[k]), `"${k}" is an array`);
      assert.ok(exp[k].length > 0, `"${k}" is not empty`);
    }
    const states = exp.organizations.filter((o) => o.classification === 'state');
    assert.ok(states.length >= 195, `${states.length} organisations have classification "state", expected at least 195`);
  });

  for (const [key, schemaFile] of [['persons', 'person'], ['organizations', 'organization'], ['memberships', 'membership']]) {
    test(`every ${key}[i] is valid against ${schemaFile}.json (draft-03)`, () => {
      const schema = validator.schemas[`${SCHEMA_BASE}${schemaFile}.json#`];
      assert.ok(schema, `schema ${schemaFile}.json is registered`);
      const errors = [];
      exp[key].forEach((item, i) => {
        const res = validator.validate(item, schema, { nestedErrors: false });
        for (const e of res.errors) errors.push(`${key}[${i}] (id ${JSON.stringify(item?.id)}): ${e.stack}`);
      });
      const shown = errors.slice(0, 40).join('\n');
      assert.equal(errors.length, 0,
        `${errors.length} schema error(s) in ${exp[key].length} ${key}:\n${shown}${errors.length > 40 ? '\n…' : ''}`);
    });
  }
});

// ------------------------------------------------------------------- vnu --

// follow: from path, follow the first link matching each step's pattern in
// turn (a path after /<lang>/, as a regular expression), adding its query;
// with require, the first such link whose page links to that pattern.
const VNU_PAGES = [
  { name: 'home', path: '/', status: 200 },
  { name: 'states', path: '/states', status: 200 },
  { name: 'state-FRA', path: '/states/FRA', status: 200 },
  { name: 'organizations', path: '/organizations', status: 200 },
  { name: 'organization', path: '/organizations', follow: [{ link: 'organizations/\\d+' }], status: 200 }, // the first organisation listed
  { name: 'login', path: '/login', status: 200 },
  { name: 'error-404', path: '/states/XXX', status: 404 },
  { name: 'error-unknown-prefix', raw: '/zz/', status: 404 },
  { name: 'decisions', path: '/decisions', status: 200 },
  { name: 'decision-1', path: '/decisions/1', status: 200 }, // the demo's first procedural proposal
  { name: 'accreditation', path: '/accreditation', status: 200 },
  { name: 'accreditation-rules', path: '/accreditation/rules', status: 200 },
  // A window with accredited organisations (the demo's decided 2025 round),
  // then the first of them: an application as the public sees it.
  {
    name: 'accreditation-window', path: '/accreditation', status: 200,
    follow: [{ link: 'accreditation/windows/[^"?#/]+', query: '?list=accredited', require: 'accreditation/applications/\\d+' }],
  },
  {
    name: 'accreditation-application', path: '/accreditation', status: 200,
    follow: [{ link: 'accreditation/windows/[^"?#/]+', query: '?list=accredited', require: 'accreditation/applications/\\d+' },
      { link: 'accreditation/applications/\\d+' }],
  },
];

// The page that p.follow leads to from start (see VNU_PAGES).
async function followLinks(lang, start, steps) {
  let urlPath = start;
  const linksOn = async (url, pattern) => {
    const r = await get(url);
    assert.equal(r.status, 200, `GET ${url}`);
    const html = await r.text();
    return [...new Set([...html.matchAll(new RegExp(`href="(/${lang}/${pattern})"`, 'g'))].map((m) => m[1]))];
  };
  for (const step of steps) {
    const links = (await linksOn(urlPath, step.link)).map((l) => l + (step.query ?? ''));
    assert.ok(links.length, `no link to /${lang}/${step.link} on ${urlPath}`);
    let next = links[0];
    if (step.require) {
      next = undefined;
      for (const l of links) {
        if ((await linksOn(l, step.require)).length) { next = l; break; }
      }
      assert.ok(next, `none of ${links.join(', ')} links to /${lang}/${step.require}`);
    }
    urlPath = next;
  }
  return urlPath;
}


// Each page is fetched and saved first (one test each, for its status), then
// one JVM validates them all: starting vnu once per page cost most of this
// file's time.
describe('HTML validity (Nu HTML Checker)', () => {
  const saved = [];
  for (const lang of LANGS) {
    for (const p of VNU_PAGES) {
      const listed = p.raw ?? `/${lang}${p.path}`;
      const via = p.follow ? `, then ${p.follow.map((f) => `a link to /${f.link}${f.query ?? ''}`).join(', then ')}` : '';
      const label = `${lang} ${p.name} (${listed}${via})`;
      test(`${label} answers ${p.status}`, async () => {
        let urlPath = listed;
        if (p.follow) urlPath = await followLinks(lang, urlPath, p.follow);
        const r = await get(urlPath, p.raw ? { headers: { Cookie: `lang=${lang}` } } : {});
        assert.equal(r.status, p.status, `GET ${urlPath}`);
        const file = path.join(HTML_DIR, `${lang}-${p.name}.html`);
        writeFileSync(file, await r.text());
        saved.push({ file, label: `${label}, ${urlPath}` });
      });
    }
  }
  test('has no vnu errors', async (t) => {
    await validateSavedHTML(t, saved);
  });
});

// -------------------------------------------------------------------- API --
describe('JSON API', () => {
  test('GET /api/v1/states returns the 195 States', async () => {
    const r = await get('/api/v1/states');
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.ok(Array.isArray(body.items), 'the answer has an "items" array');
    assert.equal(body.items.length, 195, 'number of items');
    const codes = new Set(body.items.map((s) => s.iso3));
    assert.equal(codes.size, 195, 'the 195 items are distinct States (by iso3)');
    if ('total' in body) assert.equal(body.total, 195, '"total"');
  });
});
