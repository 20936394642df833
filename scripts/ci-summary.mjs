// Prints one line per check and per test suite, then the closing line `N passed, N failed, N skipped`
// (CI reads that plain line; it understands neither vitest's nor Playwright's own summary, STACK P13).
//
// usage: node scripts/ci-summary.mjs reports/unit.json reports/e2e.json [reports/durability.json] [--step name=exitCode ...]
// Steps are the exit codes recorded by scripts/test.sh. A failed check step (lint, typecheck, build, ...) counts
// as one failure; so does a suite that exited non-zero without a failed test in its report (a crash, a
// failed webServer start, a missing report). Exits 1 when anything failed.
import fs from "node:fs";

const args = process.argv.slice(2);
const files = [];
const steps = new Map();
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--step") {
    const [name, code] = (args[++i] ?? "").split("=");
    if (name) steps.set(name, Number(code ?? 1));
  } else {
    files.push(args[i]);
  }
}
const [unitFile = "reports/unit.json", e2eFile = "reports/e2e.json", durabilityFile = "reports/durability.json"] =
  files;

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;

for (const [name, code] of steps) {
  if (name === "unit" || name === "e2e" || name === "durability") continue;
  if (code === 0) {
    console.log(`${name}: ok`);
  } else {
    console.log(`${name}: FAILED (exit ${code})`);
    failed += 1;
  }
}

function suite(name, counts, note) {
  const exit = steps.get(name);
  let { passed: p, failed: f } = counts ?? { passed: 0, failed: 0 };
  const s = counts?.skipped ?? 0;
  const extra = [];
  if (!counts) extra.push("no report");
  if (note) extra.push(note);
  if ((exit !== undefined && exit !== 0 && f === 0) || (!counts && exit === undefined)) {
    f += 1; // the suite failed without naming a failed test
    if (!counts && name === "e2e" && steps.get("build") > 0) extra.push("not run: the build failed");
    else extra.push(exit !== undefined ? `exited ${exit} with no failed test reported` : "did not run");
  }
  console.log(`${name}: ${p} passed, ${f} failed, ${s} skipped${extra.length ? ` (${extra.join("; ")})` : ""}`);
  passed += p;
  failed += f;
  skipped += s;
}

function vitestCounts(report) {
  return (
    report && {
      passed: report.numPassedTests ?? 0,
      failed: report.numFailedTests ?? 0,
      skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    }
  );
}

suite("unit", vitestCounts(readJson(unitFile)));

const e2e = readJson(e2eFile);
suite(
  "e2e",
  e2e && {
    passed: (e2e.stats?.expected ?? 0) + (e2e.stats?.flaky ?? 0),
    failed: e2e.stats?.unexpected ?? 0,
    skipped: e2e.stats?.skipped ?? 0,
  },
  e2e &&
    [`${e2e.stats?.flaky ?? 0} flaky`, ...(e2e.errors?.length ? [`${e2e.errors.length} global error(s)`] : [])].join(
      "; ",
    ),
);

if (steps.has("durability")) suite("durability", vitestCounts(readJson(durabilityFile)));

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
