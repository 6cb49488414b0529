// Opens pages of a built okra site in headless Chromium at 1366×900 and
// prints how many screens tall each is, failing when one is taller than
// the limit.
//
//   node screens.mjs MAX_SCREENS OUT_DIR PAGE...      (PAGE relative to OUT_DIR)
//
// Exits 1 when a page is too tall, 2 when the browser cannot run.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

const [WIDTH, HEIGHT] = [1366, 900];
const [limit, outDir, ...pages] = process.argv.slice(2);
if (!limit || !outDir || pages.length === 0) {
  console.error("usage: node screens.mjs MAX_SCREENS OUT_DIR PAGE...");
  process.exit(2);
}
const browser = await launch();
let tall = 0;
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
  for (const name of pages) {
    await page.goto(pathToFileURL(path.resolve(outDir, name)).href);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const screens = height / HEIGHT;
    console.log(`${name}: ${height} px, ${screens.toFixed(2)} screens`);
    if (screens > Number(limit)) tall += 1;
  }
} finally {
  await browser.close();
}
console.log(`${pages.length} pages, ${tall} taller than ${limit} screens of ${WIDTH}×${HEIGHT}`);
process.exit(tall === 0 ? 0 : 1);
