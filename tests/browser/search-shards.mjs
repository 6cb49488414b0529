// Checks the sharded search index of a built site against a search of the
// whole index at once, as the browser searched before the index was split:
// the same documents in the same order for every query and filter, with
// only the shards a query needs loaded.
//
//   node search-shards.mjs OUT_DIR
//
// Prints one line per scenario and "N passed, M failed"; exits 1 on failure.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: node search-shards.mjs OUT_DIR");
  process.exit(2);
}

// Every part of the index, read in Node: name → data.
const folder = path.join(outDir, "assets/search");
const parts = {};
for (const file of fs.readdirSync(folder)) {
  new Function("okraIndex", fs.readFileSync(path.join(folder, file), "utf8"))((name, data) => {
    parts[name] = data;
  });
}
const meta = parts.index;
const termShards = meta.shards.map((_, n) => parts[`terms-${n}`]);
const terms = termShards.flatMap((s) => s.terms);
const postings = termShards.flatMap((s) => s.postings);
const docs = [];
for (let n = 0; parts[`docs-${n}`]; n++) docs.push(...parts[`docs-${n}`]);

let passed = 0;
let failed = 0;
function check(condition, message) {
  if (!condition) throw new Error(message);
}
async function scenario(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error.message}`);
  }
}

// ---- the whole-index search, as the page did it before the split ---------

const KIND_SLUGS = ["objective", "key-result", "kpi", "team", "page"];
const FIELD_WEIGHT = [1, 2, 3, 4];
const LAST = "0123456789abcdefghijklmnopqrstuv";
const MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";
function decode(list) {
  const out = [];
  let doc = 0;
  let value = 0;
  for (const c of list) {
    if (MORE.includes(c)) {
      value = value * 32 + MORE.indexOf(c);
    } else {
      value = value * 32 + LAST.indexOf(c);
      doc += value >> 2;
      out.push([doc, value & 3]);
      value = 0;
    }
  }
  return out;
}
function facets(i) {
  const d = docs[i];
  if (d.length === 4) {
    const o = facets(d[2]);
    return { k: "key-result", g: o.g, p: o.p, s: d[3] >= 0 ? meta.statuses[d[3]] : "", t: d[0], kind: 1 };
  }
  return {
    k: KIND_SLUGS[d[0]],
    g: d[3] >= 0 ? meta.teams[d[3]][0] : "",
    p: d[4] >= 0 ? meta.periods[d[4]] : "",
    s: d[5] >= 0 ? meta.statuses[d[5]] : "",
    t: d[1],
    kind: d[0],
  };
}
function wholeSearch(words, filters) {
  let total = null;
  for (const word of words) {
    const scores = new Map();
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (terms[mid] < word) lo = mid + 1; else hi = mid;
    }
    const limit = word.length >= 2 || /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff]/.test(word) ? 400 : 1;
    for (let t = lo, n = 0; t < terms.length && n < limit && terms[t].startsWith(word); t++, n++) {
      for (const [doc, field] of decode(postings[t])) {
        const score = FIELD_WEIGHT[field] * (terms[t] === word ? 2 : 1);
        if (!(scores.get(doc) >= score)) scores.set(doc, score);
      }
    }
    if (total === null) {
      total = scores;
    } else {
      const next = new Map();
      for (const [doc, score] of total) if (scores.has(doc)) next.set(doc, score + scores.get(doc));
      total = next;
    }
  }
  const results = [];
  for (const [doc, score] of total || []) {
    const f = facets(doc);
    if (Object.entries(filters || {}).some(([name, value]) => value && f[name[0] === "k" ? "k" : name === "team" ? "g" : name[0]] !== value)) continue;
    results.push({ doc, score, f });
  }
  // Documents are numbered in the order equal scores rank (checked below).
  results.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return results.map((r) => r.doc);
}

// ---- the scenarios ---------------------------------------------------------

await scenario("the site's index has several shards of each kind", async () => {
  check(meta.shards.length >= 3, `${meta.shards.length} term shards`);
  check(docs.length === meta.docs && docs.length > 2 * meta.docsPerShard, `${docs.length} documents`);
  check(terms.every((t, i) => i === 0 || terms[i - 1] < t), "terms out of order");
  check(termShards.every((s, n) => s.terms[0] === meta.shards[n]), "a shard's first term is not in the table");
});

await scenario("documents are numbered in the order equal scores rank", async () => {
  // The running period's documents first, older periods last; within a
  // period, shorter titles first, then by kind and title.
  const first = new Map();
  let runs = 0;
  for (let i = 1; i < docs.length; i++) {
    const [a, b] = [facets(i - 1), facets(i)];
    if (a.p !== b.p) {
      runs += 1;
      continue;
    }
    const order = a.t.length - b.t.length || a.kind - b.kind || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0);
    check(order <= 0, `${i - 1} "${a.t}" before ${i} "${b.t}"`);
  }
  for (let i = 0; i < docs.length; i++) {
    const p = facets(i).p;
    if (p && !first.has(p)) first.set(p, i);
  }
  // Ended periods come newest first, after the running one.
  const periods = [...first.keys()];
  const ended = periods.filter((p) => meta.periods.indexOf(p) < meta.periods.indexOf(periods[0]));
  for (let n = 1; n < ended.length; n++) {
    check(meta.periods.indexOf(ended[n - 1]) > meta.periods.indexOf(ended[n]), `${ended[n - 1]} ranks before ${ended[n]}`);
  }
  check(runs > 0, "one period only");
});

const browser = await launch();
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (error) => errors.push(error.message));
await page.goto(pathToFileURL(path.resolve(outDir, "search.html")).href);

// The sharded search in the page: its words, its results, the parts it
// loaded and the views of its first results.
const sharded = (query, filters) =>
  page.evaluate(
    ([query, filters]) =>
      new Promise((resolve) => {
        window.okraSearch.search(query, filters, (idx, results, words) => {
          window.okraSearch.withViews(idx, results.slice(0, 20), (views) => {
            resolve({ words, results, views, loaded: window.okraSearch.loaded() });
          });
        });
      }),
    [query, filters],
  );

await scenario("a typical query loads only the shards it needs", async () => {
  const found = await sharded("customer retention", null);
  check(found.results.length > 0, "no results");
  const loadedTerms = found.loaded.filter((n) => n.startsWith("terms-"));
  check(loadedTerms.length <= 2 && loadedTerms.length < meta.shards.length, `loaded ${found.loaded}`);
  check(!found.loaded.includes("facets"), "facets loaded without a filter");
  const loadedDocs = found.loaded.filter((n) => n.startsWith("docs-"));
  check(loadedDocs.length < docs.length / meta.docsPerShard, `loaded ${loadedDocs}`);
});

const queries = [
  "g", "z", "r", "re", "ret", "retention", "customer retention", "grow revenue", "cu re", "zurich",
  "日本", "市場", "obj0042", "0042", "12", "1", "support efficiency", "the", "launch the", "xyzzy",
  "churn churn", "ti", "time response", "team sales", "2026", "2026 q3", "on",
];
const filterSets = [
  null,
  { kind: "key-result" },
  { kind: "objective", period: "2026-Q2" },
  { team: "support" },
  { status: "on-track" },
  { kind: "objective", team: "sales", period: "2026-Q3", status: "at-risk" },
  { team: "nobody" },
];

await scenario("every query and filter finds the same documents in the same order", async () => {
  let compared = 0;
  for (const query of queries) {
    for (const filters of filterSets) {
      const found = await sharded(query, filters);
      const expected = wholeSearch(found.words, filters);
      const same = expected.length === found.results.length && expected.every((d, i) => d === found.results[i]);
      check(same, `"${query}" ${JSON.stringify(filters)}: ${found.results.slice(0, 10)} … (${found.results.length}) against ${expected.slice(0, 10)} … (${expected.length})`);
      compared += found.results.length;
      for (const [i, view] of found.views.entries()) {
        const f = facets(found.results[i]);
        check(view.t === f.t && view.k === f.k && view.g === f.g && view.p === f.p && view.s === f.s,
          `"${query}": view ${JSON.stringify(view)} against ${JSON.stringify(f)}`);
      }
    }
  }
  check(compared > 10000, `only ${compared} results compared`);
});

await scenario("a key result's view links into its objective's page", async () => {
  const found = await sharded("retention", { kind: "key-result" });
  check(found.views.length > 0, "no key results");
  for (const view of found.views) {
    check(/^objectives\/o\d{4}\.html#kr-kr[1-3]$/.test(view.u), view.u);
    check(view.x && view.x.length > 0, "no objective title");
  }
});

await browser.close();
if (errors.length > 0) {
  failed += 1;
  console.log(`FAIL script errors: ${errors.join("; ")}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
