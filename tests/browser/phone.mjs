// Opens pages of a built okra site in headless Chromium at a 360 px phone
// and at a 1366 px desktop, and prints each one wider than the screen,
// which would scroll sideways.
//
//   node phone.mjs OUT_DIR PAGE...      (PAGE relative to OUT_DIR)
//
// Exits 1 when a page is too wide, 2 when the browser cannot run.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

const WIDTHS = [360, 1366];
const [outDir, ...pages] = process.argv.slice(2);
if (!outDir || pages.length === 0) {
  console.error("usage: node phone.mjs OUT_DIR PAGE...");
  process.exit(2);
}
const browser = await launch();
let wide = 0;
try {
  for (const WIDTH of WIDTHS) {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 740 } });
    for (const name of pages) {
      await page.goto(pathToFileURL(path.resolve(outDir, name)).href);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > WIDTH) {
        wide += 1;
        console.log(`${name}: ${width} px wide at ${WIDTH} px`);
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`${pages.length} pages, ${wide} wider than 360 or 1366 px`);
process.exit(wide === 0 ? 0 : 1);
