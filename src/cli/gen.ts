import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withKindTable } from "../core/kinds/readme-table.ts";
import { jsonSchemas, renderSchema } from "../core/schemas.ts";

// Everything generated from the zod source: the JSON Schemas in schemas/ and the README's kind table.
const root = join(import.meta.dirname, "..", "..");
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(root, "schemas", file), renderSchema(schema));
  console.log(`wrote schemas/${file}`);
}
const readme = join(root, "README.md");
writeFileSync(readme, withKindTable(readFileSync(readme, "utf8")));
console.log("wrote the kind table in README.md");
