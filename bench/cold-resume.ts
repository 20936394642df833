/**
 * Cold resume: a new process opens the database, resumes a paused run with a pre-supplied "approve" and
 * publishes. Timed from spawn to the child's "published" line and to its exit, next to the cost of starting
 * the process at all and to a raw better-sqlite3 child doing the same reads and writes.
 */
import fs from "node:fs";
import { SqliteCheckpointStorage } from "@/db/sqlite-checkpoint-storage";
import { bundleEntry } from "./lib/bundle";
import { timeChild, type ChildResult } from "./lib/child";
import type { BenchRow } from "./lib/result";
import { formatMs, median } from "./lib/stats";
import { makeTempDir } from "@/tests/support/temp-database";
import { openDatabase } from "@/db/client";
import { BRIEF, createWorkflow, guidanceFor } from "./lib/workload";

interface PausedRun {
  file: string;
  checkpointId: string;
  requestId: string;
}

/** A run paused for review after `rounds` revision rounds, in a closed database file (WAL folded in). */
async function seedPausedRun(file: string, rounds: number): Promise<PausedRun> {
  const connection = openDatabase(file);
  const workflow = createWorkflow(new SqliteCheckpointStorage(connection));
  let result = await workflow.run(BRIEF);
  for (let round = 1; round <= rounds; round++) {
    result = await workflow.sendResponses({ [result.pendingRequests[0]?.requestId ?? ""]: guidanceFor(round) });
  }
  const requestId = result.pendingRequests[0]?.requestId;
  if (!requestId || !result.lastCheckpointId) throw new Error("seeding did not pause for review");
  connection.close();
  return { file, checkpointId: result.lastCheckpointId, requestId };
}

interface Variant {
  name: string;
  args: (copy: PausedRun) => string[];
  /** Baselines print nothing; the others must print their "published" line. */
  isBaseline?: boolean;
}

async function timeVariant(
  variant: Variant,
  run: PausedRun,
  scratch: (name: string) => string,
  repeats: number,
): Promise<ChildResult[]> {
  const results: ChildResult[] = [];
  for (let i = -1; i < repeats; i++) {
    // Each resume writes, so each gets its own copy of the paused database (copying is not timed).
    const file = scratch(`resume-${variant.name.replace(/\W+/g, "-")}-${i + 1}.db`);
    fs.copyFileSync(run.file, file);
    const result = await timeChild(variant.args({ ...run, file }));
    if (result.code !== 0 || (!variant.isBaseline && !result.line.includes('"published":true'))) {
      throw new Error(`${variant.name} failed (exit ${result.code}): ${result.stderr.slice(-2000)}`);
    }
    if (i >= 0) results.push(result); // the first run warms the disk cache and tsx's transform cache
    fs.rmSync(file, { force: true });
  }
  return results;
}

export async function benchColdResume(options: { repeats: number; log: (line: string) => void }): Promise<BenchRow[]> {
  const { repeats, log } = options;
  const dir = makeTempDir("draftgate-bench-");
  try {
    const paused1 = await seedPausedRun(dir.file("paused-1.db"), 0);
    const paused100 = await seedPausedRun(dir.file("paused-100.db"), 100);
    const bundled = await bundleEntry("bench/cold-resume-child.ts", "cold-resume-child");
    const tsxChild = (run: PausedRun) => [
      "--import",
      "tsx",
      "bench/cold-resume-child.ts",
      run.file,
      run.checkpointId,
      run.requestId,
    ];
    const variants: Array<Variant & { run: PausedRun }> = [
      { name: "node -e ''", run: paused1, args: () => ["-e", ""], isBaseline: true },
      { name: "node --import tsx -e ''", run: paused1, args: () => ["--import", "tsx", "-e", ""], isBaseline: true },
      {
        name: "raw floor (node + better-sqlite3)",
        run: paused1,
        args: (run) => ["bench/cold-resume-floor.mjs", run.file, run.checkpointId],
      },
      { name: "tsx child, paused at draft 1", run: paused1, args: tsxChild },
      { name: "tsx child, paused at draft 101", run: paused100, args: tsxChild },
      {
        name: "bundled child (plain node), paused at draft 1",
        run: paused1,
        args: (run) => [bundled, run.file, run.checkpointId, run.requestId],
      },
    ];
    const summary = new Map<string, { exitMs: number; lineMs: number; marks: Record<string, number> }>();
    for (const variant of variants) {
      const results = await timeVariant(variant, variant.run, dir.file, repeats);
      const markNames = ["entered", "imported", "opened", "published"];
      const marks: Record<string, number> = {};
      for (const mark of markNames) {
        const values = results.map((result) => {
          try {
            return (JSON.parse(result.line) as { marks?: Record<string, number> }).marks?.[mark] ?? Number.NaN;
          } catch {
            return Number.NaN;
          }
        });
        if (values.every(Number.isFinite)) marks[mark] = median(values);
      }
      const entry = {
        exitMs: median(results.map((result) => result.toExitMs)),
        lineMs: median(results.map((result) => result.toLineMs)),
        marks,
      };
      summary.set(variant.name, entry);
      log(
        `  ${variant.name}: exit ${formatMs(entry.exitMs)}, line ${formatMs(entry.lineMs)}, marks ${JSON.stringify(Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v)])))}`,
      );
    }
    const get = (name: string) => summary.get(name) ?? { exitMs: Number.NaN, lineMs: Number.NaN, marks: {} };
    const headline = get("tsx child, paused at draft 1");
    const tsxStart = get("node --import tsx -e ''");
    const floor = get("raw floor (node + better-sqlite3)");
    return [
      {
        id: "cold-resume",
        measure: "cold resume: new process -> approved and published (node --import tsx)",
        reference: "400 ms",
        target: "<= 200 ms (process start itself is ~60 ms)",
        measured: `${formatMs(headline.exitMs)} (tsx start ${formatMs(tsxStart.exitMs)})`,
        floor: formatMs(floor.exitMs),
        ratio: headline.exitMs / floor.exitMs,
        met: headline.exitMs <= 200,
        details: Object.fromEntries(summary),
      },
      {
        id: "cold-resume-bundled",
        measure: "cold resume, same child bundled with esbuild, plain node",
        reference: "—",
        target: "<= 200 ms",
        measured: `${formatMs(get("bundled child (plain node), paused at draft 1").exitMs)} (node start ${formatMs(get("node -e ''").exitMs)})`,
        floor: formatMs(floor.exitMs),
        ratio: get("bundled child (plain node), paused at draft 1").exitMs / floor.exitMs,
        met: get("bundled child (plain node), paused at draft 1").exitMs <= 200,
      },
    ];
  } finally {
    dir.cleanup();
  }
}
