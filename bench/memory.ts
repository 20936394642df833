/** Peak memory (RSS high-water mark) of a process that runs one 100-round revision loop, next to its baseline. */
import { bundleEntry } from "./lib/bundle";
import { timeChild } from "./lib/child";
import type { BenchRow } from "./lib/result";
import { formatMiB, median } from "./lib/stats";
import { makeTempDir } from "@/tests/support/temp-database";

interface MemoryLine {
  maxRssBytes: number;
  heapUsedBytes: number;
}

async function peak(
  args: (file: string) => string[],
  file: (name: string) => string,
  repeats: number,
  label: string,
): Promise<MemoryLine> {
  const lines: MemoryLine[] = [];
  for (let i = 0; i < repeats; i++) {
    const db = file(`memory-${label}-${i}.db`);
    const result = await timeChild(args(db));
    if (result.code !== 0) throw new Error(`memory child (${label}) failed: ${result.stderr.slice(-2000)}`);
    lines.push(JSON.parse(result.line) as MemoryLine);
  }
  return {
    maxRssBytes: median(lines.map((line) => line.maxRssBytes)),
    heapUsedBytes: median(lines.map((line) => line.heapUsedBytes)),
  };
}

export async function benchMemory(options: {
  repeats: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const { repeats, rounds, log } = options;
  const dir = makeTempDir("draftgate-bench-");
  try {
    const tsx = (count: number) => (db: string) => ["--import", "tsx", "bench/memory-child.ts", db, String(count)];
    const bundled = await bundleEntry("bench/memory-child.ts", "memory-child");
    const plain = (count: number) => (db: string) => [bundled, db, String(count)];
    const full = await peak(tsx(rounds), dir.file, repeats, "tsx-full");
    const base = await peak(tsx(0), dir.file, repeats, "tsx-base");
    const fullPlain = await peak(plain(rounds), dir.file, repeats, "plain-full");
    const basePlain = await peak(plain(0), dir.file, repeats, "plain-base");
    log(
      `  tsx: ${rounds} rounds ${formatMiB(full.maxRssBytes)} (baseline ${formatMiB(base.maxRssBytes)}); bundled: ${formatMiB(fullPlain.maxRssBytes)} (baseline ${formatMiB(basePlain.maxRssBytes)})`,
    );
    return [
      {
        id: "memory",
        measure: `peak memory (max RSS), ${rounds}-round run, node --import tsx`,
        reference: "135 MiB",
        target: "<= 100 MiB",
        measured: formatMiB(full.maxRssBytes),
        floor: `${formatMiB(base.maxRssBytes)} (0 rounds)`,
        ratio: full.maxRssBytes / base.maxRssBytes,
        met: full.maxRssBytes <= 100 * 1024 * 1024,
        details: { tsx: { full, base }, bundled: { full: fullPlain, base: basePlain } },
      },
      {
        id: "memory-bundled",
        measure: `peak memory, ${rounds}-round run, same child bundled, plain node`,
        reference: "—",
        target: "<= 100 MiB",
        measured: formatMiB(fullPlain.maxRssBytes),
        floor: `${formatMiB(basePlain.maxRssBytes)} (0 rounds)`,
        ratio: fullPlain.maxRssBytes / basePlain.maxRssBytes,
        met: fullPlain.maxRssBytes <= 100 * 1024 * 1024,
      },
    ];
  } finally {
    dir.cleanup();
  }
}
