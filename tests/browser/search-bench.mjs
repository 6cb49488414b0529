// Measures the site's search in headless Chromium, from file://: the first
// query (loading the index included) and each later keystroke, in the box on
// the home page. Prints the index size, how much of it the query loaded, and
// the timings.
//
//   node search-bench.mjs OUT_DIR [WORDS]
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

const outDir = process.argv[2];
const words = process.argv[3] || "customer retention";
if (!outDir) {
  console.error("usage: node search-bench.mjs OUT_DIR [WORDS]");
  process.exit(2);
}
const folder = path.join(outDir, "assets/search");
const sizes = Object.fromEntries(
  fs.readdirSync(folder).map((name) => [name.replace(/\.js$/, ""), fs.statSync(path.join(folder, name)).size]),
);
const indexBytes = Object.values(sizes).reduce((a, b) => a + b, 0);
const browser = await launch();
const page = await browser.newPage();
await page.goto(pathToFileURL(path.resolve(outDir, "index.html")).href);

// Types `value` into the box and resolves with the milliseconds until the
// dropdown shows its results.
const type = (value) =>
  page.evaluate(
    (value) =>
      new Promise((resolve) => {
        const box = document.getElementById("search-input");
        const dropdown = document.getElementById("search-dropdown");
        const start = performance.now();
        const done = () => {
          if (!dropdown.hidden && dropdown.querySelector(".result-all")) {
            observer.disconnect();
            resolve({ ms: performance.now() - start, shown: dropdown.querySelector(".result-all").textContent });
          }
        };
        const observer = new MutationObserver(done);
        observer.observe(dropdown, { childList: true, subtree: true, attributes: true });
        dropdown.textContent = "";
        box.value = value;
        box.dispatchEvent(new Event("input"));
      }),
    value,
  );

const first = await type(words.slice(0, 2));
const later = [];
for (let i = 3; i <= words.length; i++) {
  later.push((await type(words.slice(0, i))).ms);
}
const last = await type(words);
const loaded = await page.evaluate(() => window.okraSearch.loaded());

// The search page, opened with the words (and then with a filter too):
// milliseconds from the start of navigation until its results show.
const searchPage = async (query) => {
  const fresh = await browser.newPage();
  await fresh.goto(pathToFileURL(path.resolve(outDir, "search.html")).href + query);
  await fresh.waitForSelector("#search-results .result-count");
  const ms = await fresh.evaluate(() => performance.now());
  const shown = await fresh.$eval("#search-results .result-count", (p) => p.textContent);
  await fresh.close();
  return { ms, shown };
};
const pageAll = await searchPage("?q=" + encodeURIComponent(words));
const pageFiltered = await searchPage("?q=" + encodeURIComponent(words) + "&kind=objective");
await browser.close();
const loadedBytes = loaded.reduce((sum, name) => sum + (sizes[name] || 0), 0);
later.sort((a, b) => a - b);
const median = later[Math.floor(later.length / 2)] || 0;
console.log(`search index: ${(indexBytes / 1e6).toFixed(2)} MB in ${Object.keys(sizes).length} files`);
console.log(`loaded by the query: ${(loadedBytes / 1e6).toFixed(2)} MB in ${loaded.length} files`);
console.log(`first query "${words.slice(0, 2)}" (loading the index): ${first.ms.toFixed(0)} ms`);
console.log(`later keystrokes (${later.length}): median ${median.toFixed(1)} ms, max ${later[later.length - 1].toFixed(1)} ms`);
console.log(`"${words}": ${last.shown}`);
console.log(`search page for "${words}": ${pageAll.ms.toFixed(0)} ms (${pageAll.shown})`);
console.log(`search page, objectives only: ${pageFiltered.ms.toFixed(0)} ms (${pageFiltered.shown})`);
