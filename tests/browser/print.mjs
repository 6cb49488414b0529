// Proves that a page prints for the quarterly review: folded check-ins open
// for printing and fold again after, the navigation is left out, the as-of
// date is printed, and Chromium makes a PDF of it.
//
//   node print.mjs PAGE_FILE
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node print.mjs PAGE_FILE");
  process.exit(2);
}
const browser = await launch();
let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok" : "FAIL"} ${what}`);
  if (!ok) failed += 1;
};
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.resolve(file)).href);
  const closed = await page.$$eval("details:not([open])", (d) => d.length);
  check(closed > 0, `the page has folded sections (${closed})`);
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  await page.emulateMedia({ media: "print" });
  check((await page.$$eval("details:not([open])", (d) => d.length)) === 0, "every folded section opens for printing");
  check(await page.$eval(".print-only", (p) => getComputedStyle(p).display !== "none" && p.textContent.includes("as of")),
    "the as-of date is printed");
  check(await page.$eval(".site-header nav", (n) => getComputedStyle(n).display === "none"), "the navigation is not printed");
  const pdf = await page.pdf({ format: "A4" });
  check(pdf.length > 10000, `Chromium prints it (${pdf.length} bytes of PDF)`);
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  await page.emulateMedia({ media: "screen" });
  check((await page.$$eval("details:not([open])", (d) => d.length)) === closed, "they fold again after printing");
  check(await page.$eval(".print-only", (p) => getComputedStyle(p).display === "none"), "the print line is not on screen");
} finally {
  await browser.close();
}
console.log(failed === 0 ? "all passed" : `${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
