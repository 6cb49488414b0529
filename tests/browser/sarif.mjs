// Validates SARIF logs against the SARIF 2.1.0 JSON schema.
//
//     node sarif.mjs LOG.sarif [...]
//
// The schema is the one @microsoft/jest-sarif ships (SARIF 2.1.0-rtm.5, as
// GitHub code scanning reads it). Prints each log's problems, or
// "valid" for each; exits 1 when one is invalid.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const schema = JSON.parse(
  readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
);
// The schema writes one pattern that is not valid as a Unicode regular
// expression: match patterns as plain ones.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let failed = false;
for (const path of process.argv.slice(2)) {
  const log = JSON.parse(readFileSync(path, "utf8"));
  if (validate(log)) {
    console.log(`${path}: valid`);
  } else {
    failed = true;
    for (const error of validate.errors) {
      console.log(`${path}: ${error.instancePath || "/"} ${error.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
