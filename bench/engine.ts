/**
 * Engine + checkpoint time per revision round (100-round loop), against the raw better-sqlite3 floor that
 * writes the same rows and bytes; and the database bytes each round adds (the storage growth curve).
 */
import { SqliteCheckpointStorage } from "@/db/sqlite-checkpoint-storage";
import { readStoredSaves, replayRaw, storedBytes, type StoredSave } from "./lib/raw-floor";
import { RecordingStorage } from "./lib/recording-storage";
import type { BenchRow } from "./lib/result";
import { formatKiB, formatMs, median, now, percentile, sum } from "./lib/stats";
import { operator } from "@/tests/support/actors";
import { makeTempDir } from "@/tests/support/temp-database";
import { openDatabase } from "@/db/client";
import { SqliteStore } from "@/db/sqlite-store";
import { BRIEF, createBenchService, databaseBytes, guidanceFor, timeRevisionRounds } from "./lib/workload";

export interface GrowthPoint {
  round: number;
  /** page_count * page_size after the round. */
  databaseBytes: number;
  /** Bytes of every value stored so far: checkpoint columns, new blobs, answers (no page or index overhead). */
  payloadBytes: number;
  /** Sum of `pgsize` from dbstat over the checkpoint tables and their indexes. */
  checkpointTablesBytes: number;
}

export interface EngineLoop {
  roundMs: number[];
  saveMs: number[];
  floorMs: number[];
  growth: GrowthPoint[];
  dbstat: Array<{ name: string; pages: number; bytes: number; payload: number }>;
}

const CHECKPOINT_OBJECTS = `('checkpoints','checkpoint_blobs','request_responses','checkpoints_seq_idx','checkpoints_run_created_idx',
  'checkpoints_workflow_created_idx','checkpoints_created_idx','request_responses_request_base_idx','request_responses_checkpoint_idx',
  'request_responses_run_idx','sqlite_autoindex_checkpoints_1','sqlite_autoindex_checkpoint_blobs_1')`;

/** One 100-round loop on a fresh database: per-round times and sizes, then the raw replay of the same saves. */
export async function runEngineLoop(rounds: number): Promise<EngineLoop> {
  const dir = makeTempDir("draftgate-bench-");
  try {
    const connection = openDatabase(dir.file("engine.db"));
    const recording = new RecordingStorage(new SqliteCheckpointStorage(connection));
    const tablesBytes = () =>
      (
        connection.sqlite
          .prepare(`SELECT coalesce(sum(pgsize), 0) AS bytes FROM dbstat WHERE name IN ${CHECKPOINT_OBJECTS}`)
          .get() as { bytes: number }
      ).bytes;
    const groups: StoredSave[][] = [];
    const saveMs: number[] = [];
    const growth: GrowthPoint[] = [];
    let initialSaves: StoredSave[] = [];
    let payload = 0;
    const { roundMs } = await timeRevisionRounds(recording, rounds, (round, recorded) => {
      // read back exactly what the round stored, for the floor and the byte counts
      const group = readStoredSaves(connection, recorded);
      if (round === 0) initialSaves = group;
      else {
        groups.push(group);
        saveMs.push(sum(recorded.map((save) => save.saveMs)));
      }
      payload += group.reduce((total, save) => total + storedBytes(save), 0);
      growth.push({
        round,
        databaseBytes: databaseBytes(connection),
        payloadBytes: payload,
        checkpointTablesBytes: tablesBytes(),
      });
    });
    const dbstat = connection.sqlite
      .prepare(
        "SELECT name, count(*) AS pages, sum(pgsize) AS bytes, sum(payload) AS payload FROM dbstat GROUP BY name ORDER BY bytes DESC",
      )
      .all() as EngineLoop["dbstat"];
    connection.close();

    // The floor: a fresh database with the same schema, the initial run's rows first (untimed), then each round.
    const floorConnection = openDatabase(dir.file("floor.db"));
    replayRaw(floorConnection, [initialSaves]);
    const floorMs = replayRaw(floorConnection, groups);
    floorConnection.close();
    return { roundMs, saveMs, floorMs, growth, dbstat };
  } finally {
    dir.cleanup();
  }
}

/** The same loop through DraftgateService.answerRequest (what the dashboard and the API call), for comparison. */
export async function runServiceLoop(rounds: number): Promise<number[]> {
  const dir = makeTempDir("draftgate-bench-");
  const connection = openDatabase(dir.file("service.db"));
  const service = await createBenchService(new SqliteStore(connection));
  try {
    const { runId } = await service.submitBrief(operator, { brief: BRIEF });
    await service.waitForIdle(runId);
    const roundMs: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const head = await service.storage.latest(runId);
      const requestId = head?.summary.pendingRequests[0]?.requestId;
      if (!requestId) throw new Error(`service round ${round}: no pending request`);
      const start = now();
      await service.answerRequest(operator, { runId, requestId, response: guidanceFor(round) });
      await service.waitForIdle(runId);
      roundMs.push(now() - start);
    }
    return roundMs;
  } finally {
    await service.close();
    connection.close();
    dir.cleanup();
  }
}

/** Growth exponent k of stored bytes S(R) - S(0) ~ R^k between two rounds (k = 1: constant bytes per round). */
export function growthExponent(
  growth: readonly GrowthPoint[],
  from: number,
  to: number,
  key: keyof Omit<GrowthPoint, "round"> = "databaseBytes",
): number {
  const base = growth[0]?.[key] ?? 0;
  const at = (round: number) => (growth.find((point) => point.round === round)?.[key] ?? Number.NaN) - base;
  return Math.log(at(to) / at(from)) / Math.log(to / from);
}

/** Least-squares slope of log(S(R) - S(0)) against log(R) over rounds from..to: the exponent, less sensitive to page steps. */
export function growthExponentFit(
  growth: readonly GrowthPoint[],
  from: number,
  to: number,
  key: keyof Omit<GrowthPoint, "round"> = "databaseBytes",
): number {
  const base = growth[0]?.[key] ?? 0;
  const points = growth
    .filter((point) => point.round >= from && point.round <= to && point[key] > base)
    .map((point) => [Math.log(point.round), Math.log(point[key] - base)] as const);
  const meanX = points.reduce((total, [x]) => total + x, 0) / points.length;
  const meanY = points.reduce((total, [, y]) => total + y, 0) / points.length;
  const covariance = points.reduce((total, [x, y]) => total + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((total, [x]) => total + (x - meanX) ** 2, 0);
  return covariance / variance;
}

/** Average bytes per round over rounds (from, to]. */
export function bytesPerRound(
  growth: readonly GrowthPoint[],
  from: number,
  to: number,
  key: keyof Omit<GrowthPoint, "round"> = "databaseBytes",
): number {
  const at = (round: number) => growth.find((point) => point.round === round)?.[key] ?? Number.NaN;
  return (at(to) - at(from)) / (to - from);
}

export async function benchEngine(options: {
  repeats: number;
  rounds: number;
  serviceRepeats: number;
  log: (line: string) => void;
}): Promise<{ rows: BenchRow[]; growth: GrowthPoint[]; loops: EngineLoop[] }> {
  const { repeats, rounds, log } = options;
  const loops: EngineLoop[] = [];
  await runEngineLoop(10); // warm up the JIT and the page cache
  for (let i = 0; i < repeats; i++) {
    const loop = await runEngineLoop(rounds);
    loops.push(loop);
    log(
      `  engine loop ${i + 1}/${repeats}: median ${formatMs(median(loop.roundMs))}/round, store ${formatMs(median(loop.saveMs))}, floor ${formatMs(median(loop.floorMs))}`,
    );
  }
  const serviceMedians: number[] = [];
  for (let i = 0; i < options.serviceRepeats; i++) {
    const roundMs = await runServiceLoop(rounds);
    serviceMedians.push(median(roundMs));
    log(`  service loop ${i + 1}/${options.serviceRepeats}: median ${formatMs(median(roundMs))}/round`);
  }
  const perLoop = (pick: (loop: EngineLoop) => number[], p = 50) =>
    median(loops.map((loop) => percentile(pick(loop), p)));
  const engine = perLoop((loop) => loop.roundMs);
  const floor = perLoop((loop) => loop.floorMs);
  const store = perLoop((loop) => loop.saveMs);
  const growth = loops[0]?.growth ?? [];
  const perRound100 = bytesPerRound(growth, rounds - 10, rounds);
  const perRound10 = bytesPerRound(growth, 5, 15);
  const payloadPerRound100 = bytesPerRound(growth, rounds - 10, rounds, "payloadBytes");
  const exponent = growthExponent(growth, 10, rounds);
  const rows: BenchRow[] = [
    {
      id: "engine-round",
      measure: `engine + checkpoint time per revision round, ${rounds}-round loop`,
      reference: "3.9 ms",
      target: "<= 1.3 ms, and <= 3x the raw floor",
      measured: formatMs(engine),
      floor: formatMs(floor),
      ratio: engine / floor,
      met: engine <= 1.3 && engine / floor <= 3,
      details: {
        medianMs: engine,
        p95Ms: perLoop((loop) => loop.roundMs, 95),
        meanMs: median(loops.map((loop) => sum(loop.roundMs) / loop.roundMs.length)),
        storeSaveMs: store,
        engineWithoutStoreMs: engine - store,
        floorMs: floor,
        checkpointsPerRound: 5,
        serviceAnswerMs: median(serviceMedians),
        loops: loops.length,
      },
    },
    {
      id: "service-round",
      measure: `the same round through DraftgateService.answerRequest (resume from the stored checkpoint, run row), ${rounds}-round loop`,
      reference: "—",
      target: "—",
      measured: formatMs(median(serviceMedians)),
      floor: formatMs(floor),
      ratio: median(serviceMedians) / floor,
      met: null,
    },
    {
      id: "storage-growth",
      measure: `database bytes per revision round at ${rounds} rounds`,
      reference: "89 KiB, growing with the square of rounds",
      target: "<= 15 KiB, growth exponent <= 1.1 (rounds 10-100)",
      measured: `${formatKiB(perRound100)} (rounds 91-100), k = ${exponent.toFixed(2)}`,
      floor: `${formatKiB(payloadPerRound100)} stored values`,
      ratio: perRound100 / payloadPerRound100,
      met: perRound100 <= 15 * 1024 && exponent <= 1.1,
      details: {
        bytesPerRoundAt100: perRound100,
        bytesPerRoundAt10: perRound10,
        payloadBytesPerRoundAt100: payloadPerRound100,
        growthExponent: exponent,
        growthExponentFit: growthExponentFit(growth, 10, rounds),
        averageBytesPerRound: bytesPerRound(growth, 0, rounds),
        payloadGrowthExponent: growthExponent(growth, 10, rounds, "payloadBytes"),
        totalBytesAt100: growth.at(-1)?.databaseBytes,
        dbstat: loops[0]?.dbstat,
      },
    },
  ];
  return { rows, growth, loops };
}
