/**
 * Draftgate benchmarks: `npm run bench` (see docs/BENCHMARKS.md). Not part of `npm test`.
 *
 *   npm run bench                      every measure, HTTP included (builds under /tmp/draftgate-next.lock)
 *   npm run bench -- --quick           fewer repeats, for a quick look
 *   npm run bench -- --only engine,listing   a subset: engine, postgres, tokens, cold, memory, listing, http
 *   npm run bench -- --no-build        use the existing .next build for the HTTP measures
 *   npm run bench -- --wait-load 1     first wait (up to 10 min) for the 1-minute load average to drop below 1
 *   npm run bench -- --write-doc       also rewrite the generated section of docs/BENCHMARKS.md and the chart
 *   npm run bench -- --render bench/results/latest.json   only re-render that section from saved results
 *
 * Every measure runs next to its floor in the same run; results go to bench/results/ (git-ignored).
 */
import fs from "node:fs";
import path from "node:path";
import { benchColdResume } from "./cold-resume";
import { benchContextWindow } from "./context-window";
import { benchEngine, type GrowthPoint } from "./engine";
import { benchPostgres } from "./engine-pg";
import { benchHttp } from "./http";
import { repoRoot } from "./lib/child";
import { describeMachine, loadAverage, waitForQuiet } from "./lib/machine";
import {
  renderConsoleTable,
  renderGrowthSvg,
  renderPng,
  renderResultsSection,
  replaceGeneratedSection,
  type RunInfo,
} from "./lib/report";
import type { BenchRow } from "./lib/result";
import { benchListing, seedListingData } from "./listing";
import { benchMemory } from "./memory";
import { makeTempDir } from "@/tests/support/temp-database";

const SECTIONS = ["engine", "postgres", "tokens", "cold", "memory", "listing", "http"] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: string[]) {
  const value = (name: string) => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : argv[index + 1];
  };
  const only = value("--only")
    ?.split(",")
    .map((name) => name.trim()) ?? [...SECTIONS];
  for (const name of only)
    if (!SECTIONS.includes(name as Section)) throw new Error(`unknown section "${name}"; use ${SECTIONS.join(", ")}`);
  return {
    quick: argv.includes("--quick"),
    only: new Set(only as Section[]),
    build: !argv.includes("--no-build"),
    writeDoc: argv.includes("--write-doc"),
    waitLoad: value("--wait-load") === undefined ? null : Number(value("--wait-load")),
    render: value("--render"),
  };
}

const args = parseArgs(process.argv.slice(2));
const log = (line: string) => process.stdout.write(`${line}\n`);

/** Rewrites the generated section of docs/BENCHMARKS.md and the storage growth chart from one set of results. */
function writeDoc(rows: BenchRow[], growth: GrowthPoint[], info: RunInfo): void {
  const docsDir = path.join(repoRoot, "docs");
  let chart: string | null = null;
  if (growth.length > 0) {
    const svgFile = path.join(docsDir, "benchmarks-storage-growth.svg");
    fs.writeFileSync(svgFile, renderGrowthSvg(growth));
    const pngFile = path.join(docsDir, "benchmarks-storage-growth.png");
    chart = renderPng(svgFile, pngFile) ? "benchmarks-storage-growth.png" : "benchmarks-storage-growth.svg";
  }
  replaceGeneratedSection(path.join(docsDir, "BENCHMARKS.md"), renderResultsSection(rows, growth, info, chart));
  log("wrote docs/BENCHMARKS.md (generated section)");
}

if (args.render) {
  // Re-render the document from saved results, measuring nothing.
  const saved = JSON.parse(fs.readFileSync(args.render, "utf8")) as {
    info: RunInfo;
    rows: BenchRow[];
    growth: GrowthPoint[];
  };
  log(renderConsoleTable(saved.rows));
  writeDoc(saved.rows, saved.growth, saved.info);
  process.exit(0);
}
const ROUNDS = 100;
const repeats = args.quick
  ? { engine: 3, service: 1, cold: 5, memory: 2, listing: 10, answers: 2000, gets: 100 }
  : { engine: 7, service: 3, cold: 15, memory: 5, listing: 30, answers: 6000, gets: 300 };
const startedAt = new Date();
log(`Draftgate benchmarks (${args.quick ? "quick" : "full"}): ${[...args.only].join(", ")}`);
const loadBefore = args.waitLoad === null ? loadAverage() : await waitForQuiet(args.waitLoad, 10 * 60_000, log);
log(`load average ${loadBefore.map((value) => value.toFixed(2)).join(" ")}`);

const rows: BenchRow[] = [];
let growth: GrowthPoint[] = [];
const sections: RunInfo["sections"] = [];
const dir = makeTempDir("draftgate-bench-");

async function section(name: Section, body: () => Promise<void>): Promise<void> {
  if (!args.only.has(name)) return;
  log(`\n== ${name}`);
  const sectionLoad = loadAverage();
  const started = Date.now();
  await body();
  sections.push({ name, seconds: (Date.now() - started) / 1000, loadBefore: sectionLoad, loadAfter: loadAverage() });
}

try {
  await section("engine", async () => {
    const engine = await benchEngine({ repeats: repeats.engine, rounds: ROUNDS, serviceRepeats: repeats.service, log });
    rows.push(...engine.rows);
    growth = engine.growth;
  });
  await section("postgres", async () => {
    rows.push(
      ...(await benchPostgres({ engineRepeats: repeats.engine, inboxRepeats: repeats.listing, rounds: ROUNDS, log })),
    );
  });
  await section("tokens", async () => {
    rows.push(...(await benchContextWindow({ log })).rows);
  });
  await section("cold", async () => {
    rows.push(...(await benchColdResume({ repeats: repeats.cold, log })));
  });
  await section("memory", async () => {
    rows.push(...(await benchMemory({ repeats: repeats.memory, rounds: ROUNDS, log })));
  });
  let seeded: Awaited<ReturnType<typeof seedListingData>> | undefined;
  const seed = async () => {
    if (!seeded) {
      log("  seeding 10,000 paused runs and one 100-round run through DraftgateService...");
      seeded = await seedListingData(dir.file, ROUNDS, log);
    }
    return seeded;
  };
  await section("listing", async () => {
    rows.push(...(await benchListing(await seed(), { repeats: repeats.listing, rounds: ROUNDS, log })));
  });
  await section("http", async () => {
    const data = await seed();
    const http = await benchHttp({
      seededDb: data.inbox10k,
      scratchDir: dir.dir,
      build: args.build,
      answers: repeats.answers,
      connections: 50,
      getRequests: repeats.gets,
      log,
    });
    rows.push(...http.rows);
  });
} finally {
  dir.cleanup();
}

const info: RunInfo = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
  machine: describeMachine(),
  loadBefore,
  loadAfter: loadAverage(),
  sections,
};
log(`\n${renderConsoleTable(rows)}\n`);

const resultsDir = path.join(repoRoot, "bench", "results");
fs.mkdirSync(resultsDir, { recursive: true });
const json = JSON.stringify({ info, rows, growth }, null, 2);
fs.writeFileSync(path.join(resultsDir, "latest.json"), json);
fs.writeFileSync(path.join(resultsDir, `${info.startedAt.replace(/[:.]/g, "-")}.json`), json);
log(`results: bench/results/latest.json`);

if (args.writeDoc) writeDoc(rows, growth, info);
