// Runs axe-core in headless Chromium on pages of a built okra site, in light
// and dark mode, and prints every serious or critical violation.
//
//   node axe.mjs OUT_DIR PAGE...      (PAGE relative to OUT_DIR)
//
// Exits 1 when there is a violation, 2 when the browser cannot run.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [outDir, ...pages] = process.argv.slice(2);
if (!outDir || pages.length === 0) {
  console.error("usage: node axe.mjs OUT_DIR PAGE...");
  process.exit(2);
}

const browser = await launch();
let problems = 0;
try {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    for (const name of pages) {
      const url = pathToFileURL(path.resolve(outDir, name)).href;
      await page.goto(url);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        }),
      );
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          problems += 1;
          const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
          console.log(`${name} (${scheme}): ${v.impact} ${v.id}: ${v.help} at ${where}`);
        }
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`axe: ${pages.length} pages, ${problems} serious or critical violations`);
process.exit(problems === 0 ? 0 : 1);
