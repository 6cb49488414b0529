// Proves that a page served by `okra serve` reloads itself after an edit,
// keeps its scroll position, lists the site's warnings folded, shows an
// overlay for a broken edit and recovers when the file is fixed. Prints the time from saving a file to the reloaded
// page.
//
//   node reload.mjs PAGE_URL SOURCE_FILE OLD_TITLE
import fs from "node:fs";
import { launch } from "./chromium.mjs";

const [pageUrl, file, title] = process.argv.slice(2);
if (!pageUrl || !file || !title) {
  console.error("usage: node reload.mjs PAGE_URL SOURCE_FILE OLD_TITLE");
  process.exit(2);
}
const original = fs.readFileSync(file, "utf8");
const browser = await launch();
// One context, as one browser window's tabs: they share the connections
// the browser keeps to a host.
const context = await browser.newContext({ viewport: { width: 1000, height: 500 } });
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
let passed = 0;
let failed = 0;
const step = async (name, body) => {
  try {
    await body();
    passed += 1;
    console.log(`ok ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${e.message}`);
  }
};
const h1 = () => page.$eval("h1", (h) => h.textContent);
const timings = [];

await page.goto(pageUrl);
await page.waitForFunction(() => document.querySelector("script[src*='__okra/live.js']"));
// Give the event stream a moment to connect.
await page.waitForTimeout(500);

await step("an edit reloads the open page and keeps its scroll position", async () => {
  await page.evaluate(() => window.scrollTo(0, 300));
  const start = Date.now();
  fs.writeFileSync(file, original.replace(title, title + " (edited)"));
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, title + " (edited)", { timeout: 10000 });
  timings.push(Date.now() - start);
  await page.waitForTimeout(200);
  const y = await page.evaluate(() => window.scrollY);
  if (Math.abs(y - 300) > 5) throw new Error(`scrolled to ${y}, not 300`);
});

await step("the site's warnings are listed, folded in a corner", async () => {
  await page.waitForSelector("#okra-overlay[role=status] details#okra-warnings", { timeout: 10000 });
  const folded = await page.$eval("#okra-warnings", (d) => ({ open: d.open, summary: d.querySelector("summary").textContent, items: d.querySelectorAll("li").length }));
  if (folded.open) throw new Error("the warnings are not folded");
  if (!/^okra: \d+ warnings?$/.test(folded.summary) || folded.items === 0) throw new Error(`warnings: ${JSON.stringify(folded)}`);
});

await step("a broken edit shows an overlay and keeps the last good page", async () => {
  fs.writeFileSync(file, original.replace(/^\+\+\+\n/, '+++\ntitle = "unterminated\n'));
  await page.waitForSelector("#okra-overlay[role=alert]", { timeout: 10000 });
  const text = await page.$eval("#okra-overlay", (o) => o.textContent);
  if (!text.includes("toml-syntax") || !text.includes(".md:")) throw new Error(`overlay says ${text}`);
  if ((await h1()) !== title + " (edited)") throw new Error("the page changed");
});

await step("fixing the file removes the overlay and reloads", async () => {
  const start = Date.now();
  fs.writeFileSync(file, original);
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, title, { timeout: 10000 });
  timings.push(Date.now() - start);
  if (await page.$("#okra-overlay[role=alert]")) throw new Error("the errors are still shown");
});

await step("more tabs than a browser opens connections to one host all reload", async () => {
  const tabs = [];
  for (let i = 0; i < 7; i += 1) {
    const tab = await context.newPage();
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(pageUrl, { timeout: 10000 });
    tabs.push(tab);
  }
  await page.waitForTimeout(500);
  fs.writeFileSync(file, original.replace(title, title + " (all tabs)"));
  for (const tab of [page, ...tabs]) {
    await tab.waitForFunction((t) => document.querySelector("h1")?.textContent === t, title + " (all tabs)", { timeout: 10000 });
  }
  fs.writeFileSync(file, original);
  for (const tab of [page, ...tabs]) {
    await tab.waitForFunction((t) => document.querySelector("h1")?.textContent === t, title, { timeout: 10000 });
  }
  for (const tab of tabs) await tab.close();
});

await step("no script errors", async () => {
  if (errors.length > 0) throw new Error(errors.join("; "));
});

fs.writeFileSync(file, original);
await browser.close();
console.log(`save to reloaded page: ${timings.map((t) => t + " ms").join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
