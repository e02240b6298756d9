import { readFileSync } from "node:fs";
import { verifyReport } from "../core/sla/sign.ts";

/**
 * npm run verify-report -- report.json [more.json…]
 * Checks SLA reports' HMAC-SHA256 signatures with the key in REPORT_SIGNING_KEY.
 * Exit code 0 when every report is valid, 1 when one is not, 2 on usage errors.
 */
const files = process.argv.slice(2).filter((a) => a !== "--");
const key = process.env.REPORT_SIGNING_KEY;
if (files.length === 0 || !key) {
  console.error("usage: REPORT_SIGNING_KEY=… npm run verify-report -- report.json [more.json…]");
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
