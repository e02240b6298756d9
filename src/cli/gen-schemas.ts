import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonSchemas, renderSchema } from "../core/schemas.ts";

const dir = join(import.meta.dirname, "..", "..", "schemas");
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(dir, file), renderSchema(schema));
  console.log(`wrote schemas/${file}`);
}
