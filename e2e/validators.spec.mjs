// Third-party validators: Redocly (OpenAPI), jsonschema against the Popolo
// draft-03 schemas, and the Nu HTML Checker (vnu) on rendered pages.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Validator } from 'jsonschema';
import { E2E_DIR, REPO_ROOT, OUTPUT_DIR, LANGS, get } from './lib.mjs';

const require = createRequire(import.meta.url);

// Runs a command, feeding it input on stdin; resolves with its exit code and
// output (never rejects on a non-zero exit; rejects if it cannot start).
function run(cmd, args, { input, cwd = E2E_DIR, env = {}, timeoutMs = 60_000 } = {}) {
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
const SCHEMA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'reference', 'popolo-schemas');
const SCHEMA_BASE = 'http://www.popoloproject.com/schemas/';

describe('Popolo export /api/v1/popolo', () => {
  let validator, exp;
  before(async () => {
    assert.ok(existsSync(SCHEMA_DIR), `Popolo schemas not found at ${SCHEMA_DIR} (expected ../shared/reference/popolo-schemas beside the repo)`);
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
const VNU_JAR = path.join(E2E_DIR, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
// A short-lived JVM: the C1 compiler alone halves vnu's start-up; it then
// needs a larger thread stack than the default (vnu asks for >= 512k).
const VNU_JVM_OPTS = ['-Xss4m', '-XX:TieredStopAtLevel=1'];
const HTML_DIR = path.join(OUTPUT_DIR, 'html');
mkdirSync(HTML_DIR, { recursive: true });

let javaCheck;
function requireJava() {
  javaCheck ??= run('java', ['-version'], { timeoutMs: 30_000 }).then(
    (r) => (r.code === 0 ? null : `"java -version" exited ${r.code}: ${r.stderr}`),
    (err) => (err.code === 'ENOENT'
      ? 'java is not installed: the Nu HTML Checker (vnu.jar) needs a Java runtime (Debian: apt-get install -y default-jre-headless)'
      : `java cannot run: ${err.message}`));
  return javaCheck;
}

const VNU_PAGES = [
  { name: 'home', path: '/', status: 200 },
  { name: 'states', path: '/states', status: 200 },
  { name: 'state-FRA', path: '/states/FRA', status: 200 },
  { name: 'organizations', path: '/organizations', status: 200 },
  { name: 'organization', follow: '/organizations', status: 200 }, // the first organisation listed
  { name: 'login', path: '/login', status: 200 },
  { name: 'error-404', path: '/states/XXX', status: 404 },
  { name: 'error-unknown-prefix', raw: '/zz/', status: 404 },
];

// Shows the offending source line around vnu's column range.
function snippet(lines, m) {
  const line = lines[(m.lastLine ?? m.firstLine ?? 1) - 1] ?? '';
  const from = Math.max(0, (m.firstColumn ?? 1) - 1 - 40);
  const to = Math.min(line.length, (m.lastColumn ?? line.length) + 40);
  return (from > 0 ? '…' : '') + line.slice(from, to).trim() + (to < line.length ? '…' : '');
}

describe('HTML validity (Nu HTML Checker)', { concurrency: 2 }, () => {
  for (const lang of LANGS) {
    for (const p of VNU_PAGES) {
      const listed = p.raw ?? `/${lang}${p.follow ?? p.path}`;
      test(`${lang} ${p.name} (${listed}${p.follow ? ', first link' : ''}) has no vnu errors`, async () => {
        let urlPath = listed;
        const javaProblem = await requireJava();
        assert.equal(javaProblem, null, javaProblem ?? '');
        assert.ok(existsSync(VNU_JAR), `${VNU_JAR} is missing: run npm ci in e2e/`);
        if (p.follow) {
          const list = await get(urlPath);
          assert.equal(list.status, 200, `GET ${urlPath}`);
          const m = (await list.text()).match(new RegExp(`href="(/${lang}/organizations/\\d+)"`));
          assert.ok(m, `no organisation link on ${urlPath}`);
          urlPath = m[1];
        }

        const r = await get(urlPath, p.raw ? { headers: { Cookie: `lang=${lang}` } } : {});
        assert.equal(r.status, p.status, `GET ${urlPath}`);
        const html = await r.text();
        writeFileSync(path.join(HTML_DIR, `${lang}-${p.name}.html`), html);

        const v = await run('java', [...VNU_JVM_OPTS, '-jar', VNU_JAR, '--errors-only', '--format', 'json', '-'], { input: html });
        let messages;
        try {
          ({ messages } = JSON.parse(v.stderr));
        } catch {
          assert.fail(`vnu exited ${v.code} without a JSON report:\n${v.stderr}\n${v.stdout}`);
        }
        const lines = html.split('\n');
        const report = messages.map((m) =>
          `  ${m.type}${m.subType ? `/${m.subType}` : ''} at ${m.lastLine}.${m.firstColumn}-${m.lastColumn}: ${m.message}\n    html: ${snippet(lines, m)}`);
        assert.equal(messages.length, 0, `${urlPath} (${lang}): ${messages.length} vnu error(s):\n${report.join('\n')}`);
        assert.equal(v.code, 0, `vnu exited ${v.code}`);
      });
    }
  }
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
