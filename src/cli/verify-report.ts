import { readFileSync } from "node:fs";
import { verifyReport } from "../core/sla/sign.ts";
import { parseCli } from "./args.ts";

/**
 * npm run verify-report -- report.json [more.json…]
 * Checks SLA reports' HMAC-SHA256 signatures with the key in REPORT_SIGNING_KEY.
 * Exit code 0 when every report is valid, 1 when one is not, 2 on usage errors.
 */
const USAGE = `usage: REPORT_SIGNING_KEY=… npm run verify-report -- report.json [more.json…]

Checks the HMAC-SHA256 signature of SLA reports (JSON) with the key in REPORT_SIGNING_KEY.
Exit 0 when every report is valid, 1 when one is not, 2 on usage errors.`;
const { positionals: files } = parseCli(USAGE, {}, undefined, { positionals: true });
const key = process.env.REPORT_SIGNING_KEY;
if (files.length === 0 || !key) {
  console.error(
    `${files.length === 0 ? "no report file given" : "REPORT_SIGNING_KEY is not set"} (--help shows the usage)`,
  );
  process.exit(2);
}
let ok = true;
for (const file of files) {
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: cannot read JSON: ${String(e)}`);
    ok = false;
    continue;
  }
  const r = await verifyReport(report, key);
  if (r.valid) {
    const m = (report as { methodologyVersion?: string }).methodologyVersion;
    console.log(`${file}: valid (methodology version ${m})`);
  } else {
    console.error(`${file}: INVALID: ${r.reason}`);
    ok = false;
  }
}
process.exit(ok ? 0 : 1);
