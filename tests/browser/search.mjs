// Drives the search of a built example site in headless Chromium, from
// file://, the way a reader uses it.
//
//   node search.mjs OUT_DIR
//
// Prints one line per scenario and "N passed, M failed"; exits 1 on failure.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: node search.mjs OUT_DIR");
  process.exit(2);
}
const url = (page, query = "") => pathToFileURL(path.resolve(outDir, page)).href + query;

const browser = await launch();
const context = await browser.newContext();
let passed = 0;
let failed = 0;

// Runs one scenario in a fresh page; dialogs, script errors, console errors
// (unless `consoleErrors` is false) and requests to another host fail it.
async function scenario(name, body, consoleErrors = true) {
  const page = await context.newPage();
  const problems = [];
  page.on("dialog", async (dialog) => {
    problems.push(`a dialog opened: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("console", (message) => {
    if (consoleErrors && message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) problems.push(`loaded from another host: ${request.url()}`);
  });
  try {
    await body(page);
    if (problems.length > 0) throw new Error(problems.join("; "));
    passed += 1;
    console.log(`ok ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error.message}`);
  } finally {
    await page.close();
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// The results of search.html?QUERY as {title, href, meta, marks}.
async function results(page, query) {
  await page.goto(url("search.html", query));
  await page.waitForSelector("#search-results .result-count");
  return page.$$eval("#search-results ol.results > li", (items) =>
    items.map((li) => ({
      title: li.querySelector("a").textContent,
      href: li.querySelector("a").getAttribute("href"),
      meta: li.querySelector(".result-meta").textContent,
      marks: Array.from(li.querySelectorAll("mark")).map((m) => m.textContent),
    })),
  );
}

await scenario("a query by title finds the objective first", async (page) => {
  const found = await results(page, "?q=efficiency");
  check(found.length > 0, "no results");
  check(found[0].title === "Increase the efficiency of the support team", `first is ${found[0].title}`);
  check(found[0].href === "objectives/support-efficiency.html", `href ${found[0].href}`);
  check(found[0].meta.startsWith("objective · Customer Support · 2026-Q3 · on track"), `meta ${found[0].meta}`);
  check(found[0].marks.includes("efficiency"), `marks ${found[0].marks}`);
});

await scenario("running objectives rank before ended ones that match alike", async (page) => {
  // "Make hiring faster" (2026-Q2, ended) has the shortest title, which
  // used to put it first.
  const found = await results(page, "?q=make");
  const titles = found.map((r) => r.title);
  check(found.length > 3, `too few: ${titles}`);
  check(found[0].meta.startsWith("objective") && !found[0].meta.includes("2026-Q2"), `first is ${found[0].title}: ${found[0].meta}`);
  check(titles.indexOf("Make hiring faster") > titles.indexOf("Make Northwind a great place to work"), `order ${titles}`);
});

await scenario("a prefix matches as you type", async (page) => {
  const found = await results(page, "?q=effic");
  check(found.some((r) => r.title === "Increase the efficiency of the support team"), "objective not found");
});

await scenario("accents are folded", async (page) => {
  const found = await results(page, "?q=zurich");
  const hit = found.find((r) => r.title === "Open the Zürich storefront");
  check(hit, `not found in ${found.map((r) => r.title)}`);
  check(hit.marks.includes("Zürich"), `marks ${hit.marks}`);
  check(hit.meta.startsWith("key result"), hit.meta);
});

await scenario("the search page has one search box, which / focuses", async (page) => {
  await page.goto(url("search.html"));
  const boxes = await page.$$eval("input[type=search]", (inputs) => inputs.map((i) => i.id));
  check(boxes.length === 1 && boxes[0] === "search-page-input", `boxes ${boxes}`);
  await page.click("h1");
  await page.keyboard.press("/");
  check((await page.evaluate(() => document.activeElement.id)) === "search-page-input", "/ did not focus it");
});

await scenario("letters without an ASCII base fold as src/text.rs folds them", async (page) => {
  await page.goto(url("search.html"));
  const folded = await page.evaluate(() => window.okraSearch.fold("Øke Førde Blåbær Straße STRASSE Łódź Þórshöfn Œuvre"));
  check(folded === "oke forde blabaer strasse strasse lodz thorshofn oeuvre", folded);
});

await scenario("CJK text is found without spaces", async (page) => {
  const found = await results(page, "?q=" + encodeURIComponent("日本"));
  const hit = found.find((r) => r.title.includes("日本市場"));
  check(hit, `not found in ${found.map((r) => r.title)}`);
  check(hit.marks.includes("日本"), `marks ${hit.marks}`);
  const tokyo = await results(page, "?q=" + encodeURIComponent("東京"));
  check(tokyo.some((r) => r.title === "Open new storefronts"), "body CJK not found");
});

await scenario("numbers and ids are searchable", async (page) => {
  const byNumber = await results(page, "?q=0.5");
  check(byNumber.some((r) => r.title.includes("from 1.5 to 0.5")), "number not found");
  const byId = await results(page, "?q=support-efficiency");
  check(byId.some((r) => r.title === "Increase the efficiency of the support team"), "id not found");
});

await scenario("filters narrow results and live in the URL", async (page) => {
  const found = await results(page, "?q=support&kind=kpi");
  check(found.length > 0, "no KPI results");
  check(found.every((r) => r.meta.startsWith("KPI")), `not all KPIs: ${found.map((r) => r.meta)}`);
  check((await page.$eval("#filter-kind", (s) => s.value)) === "kpi", "kind filter not shown");
  const byPeriod = await results(page, "?q=increase&period=2026-Q3&status=at-risk");
  check(byPeriod.length > 0, "no results for period and status");
  check(byPeriod.every((r) => r.meta.includes("2026-Q3") && r.meta.endsWith("at risk")), `${byPeriod.map((r) => r.meta)}`);
  const byTeam = await results(page, "?q=decrease&team=support");
  check(byTeam.length > 0 && byTeam.every((r) => r.meta.includes("Customer Support")), `${byTeam.map((r) => r.meta)}`);
  await page.selectOption("#filter-kind", "objective");
  await page.waitForFunction(() => window.location.search.includes("kind=objective"));
});

await scenario("a query full of HTML stays text", async (page) => {
  const attack = "<img src=x onerror=alert(1)><script>alert(2)</script>";
  await results(page, "?q=" + encodeURIComponent(attack));
  check((await page.$$("#search-results img, #search-results script")).length === 0, "markup from the query");
  await page.goto(url("index.html"));
  await page.fill("#search-input", attack);
  await page.waitForTimeout(300);
  check((await page.$$("#search-dropdown img, #search-dropdown script")).length === 0, "markup in the dropdown");
});

await scenario("a private KPI finds nothing", async (page) => {
  const found = await results(page, "?q=" + encodeURIComponent("employee turnover"));
  check(!found.some((r) => r.meta.startsWith("KPI")), `found ${found.map((r) => r.title)}`);
  // Every part of the index loaded so far, the documents of the results
  // and the facets included.
  await results(page, "?q=employee&kind=kpi");
  const loaded = await page.evaluate(() => window.okraSearch.loaded());
  check(loaded.includes("facets") && loaded.some((n) => n.startsWith("docs-")), `loaded ${loaded}`);
  const index = await page.evaluate(() =>
    JSON.stringify(Array.from(document.querySelectorAll("script[src*='assets/search/']"), (s) => s.src)),
  );
  check(index.includes("facets.js"), `scripts ${index}`);
});

await scenario("typing in the home page's box shows results without Enter", async (page) => {
  await page.goto(url("index.html"));
  const early = await page.$$("script[src*='assets/search/']");
  check(early.length === 0, "the index loaded with the page");
  await page.click("#search-input");
  await page.keyboard.type("csat");
  await page.waitForSelector("#search-dropdown:not([hidden]) li[role=option]");
  const first = await page.$eval("#search-dropdown li[role=option] .result-title", (a) => a.textContent);
  check(first === "Customer satisfaction (CSAT)", `first option ${first}`);
  await page.keyboard.press("Escape");
  check(await page.$eval("#search-dropdown", (d) => d.hidden), "Escape did not close the dropdown");
});

await scenario("arrows and Enter open a result", async (page) => {
  await page.goto(url("kpis.html"));
  await page.keyboard.press("/");
  check((await page.evaluate(() => document.activeElement.id)) === "search-input", "/ did not focus the box");
  await page.keyboard.type("efficiency");
  await page.waitForSelector("#search-dropdown:not([hidden]) li[role=option]");
  await page.keyboard.press("ArrowDown");
  const selected = await page.$eval("#search-input", (i) => i.getAttribute("aria-activedescendant"));
  check(selected === "search-option-0", `active ${selected}`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  check(page.url().endsWith("objectives/support-efficiency.html"), page.url());
});

await scenario("result links open the right page from a sub-folder", async (page) => {
  await page.goto(url("objectives/support-efficiency.html"));
  await page.fill("#search-input", "tickets per customer");
  await page.waitForSelector("#search-dropdown:not([hidden]) li[role=option]");
  const href = await page.$eval("#search-dropdown li[role=option]", (li) => li.getAttribute("data-href"));
  check(href.startsWith("../"), `relative href ${href}`);
  await Promise.all([page.waitForNavigation(), page.click("#search-dropdown li[role=option]")]);
  check(href === "../kpis/tickets-per-customer.html", `first option ${href}`);
  check(page.url().endsWith("/kpis/tickets-per-customer.html"), page.url());
  const title = await page.$eval("h1", (h) => h.textContent);
  check(title === "Tickets per customer per month", `landed on ${title}`);
});

await scenario("Enter in the box opens the search page", async (page) => {
  await page.goto(url("teams.html"));
  await page.fill("#search-input", "glossary");
  await Promise.all([page.waitForNavigation(), page.press("#search-input", "Enter")]);
  check(page.url().includes("search.html?q=glossary"), page.url());
  await page.waitForSelector("#search-results ol.results");
  const first = await page.$eval("#search-results ol.results a", (a) => a.textContent);
  check(first === "Glossary", first);
});

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
async function axeProblems(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

await scenario("the open dropdown and the results page are accessible", async (page) => {
  await page.goto(url("index.html"));
  await page.fill("#search-input", "support");
  await page.waitForSelector("#search-dropdown:not([hidden]) li[role=option]");
  await page.keyboard.press("ArrowDown");
  const dropdown = await axeProblems(page);
  check(dropdown.length === 0, `dropdown: ${dropdown.join("; ")}`);
  await results(page, "?q=support&kind=objective");
  const list = await axeProblems(page);
  check(list.length === 0, `results: ${list.join("; ")}`);
  // axe itself tries to read the stylesheet, which file:// forbids.
}, false);

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
