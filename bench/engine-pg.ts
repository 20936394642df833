/**
 * Engine + checkpoint time per revision round on PostgreSQL (`PgCheckpointStorage`), against the raw `pg` floor
 * that writes the same rows and bytes: the PostgreSQL twin of the first row of bench/engine.ts. The server is a
 * throwaway cluster with SQLite's durability (tests/support/postgres.ts, `crash-safe`), or the one
 * BENCH_POSTGRES_URL names (a superuser URL: the bench creates its own databases there).
 */
import pg from "pg";
import { openPostgres, type PgConnection } from "@/db/pg/client";
import { PgCheckpointStorage } from "@/db/pg/pg-checkpoint-storage";
import { createTestDatabase, startThrowawayPostgres } from "@/tests/support/postgres";
import { RecordingStorage, type RecordedSave } from "./lib/recording-storage";
import type { BenchRow } from "./lib/result";
import { formatMs, median, now, percentile } from "./lib/stats";
import { timeRevisionRounds } from "./lib/workload";
import { benchPgInbox } from "./listing-pg";

type Row = Record<string, unknown>;

/** One checkpoint as PostgreSQL stored it, without the columns the database generates (`seq`, answers' `id`). */
interface StoredPgSave {
  checkpoint: Row;
  blobs: Array<{ hash: string; data: string }>;
  responses: Row[];
}

async function readStoredSaves(connection: PgConnection, saves: readonly RecordedSave[]): Promise<StoredPgSave[]> {
  const stored: StoredPgSave[] = [];
  for (const save of saves) {
    const id = save.record.checkpointId;
    const {
      rows: [row],
    } = await connection.pool.query("select * from checkpoints where checkpoint_id = $1", [id]);
    if (!row) throw new Error(`checkpoint ${id} was not stored`);
    const { seq: _seq, ...checkpoint } = row as Row;
    const responses = await connection.pool.query(
      "select * from request_responses where checkpoint_id = $1 order by id",
      [id],
    );
    stored.push({
      checkpoint,
      blobs: save.blobs,
      responses: responses.rows.map(({ id: _id, ...response }: Row) => response),
    });
  }
  return stored;
}

/**
 * The floor: one client, one transaction per checkpoint (BEGIN, the new blobs, the checkpoint row, its answers,
 * COMMIT), named prepared statements, values already in their stored form. No reads, no validation, no JSON work.
 */
async function replayRaw(url: string, groups: readonly StoredPgSave[][]): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const insert = (table: string, row: Row) => {
      const columns = Object.keys(row);
      return {
        name: `floor_${table}`,
        text: `insert into ${table} (${columns.join(", ")}) values (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
        values: Object.values(row),
      };
    };
    const write = async (save: StoredPgSave) => {
      await client.query("begin");
      for (const blob of save.blobs)
        await client.query({
          name: "floor_blob",
          text: "insert into checkpoint_blobs (hash, data) values ($1, $2) on conflict do nothing",
          values: [blob.hash, blob.data],
        });
      await client.query(insert("checkpoints", save.checkpoint));
      for (const response of save.responses) await client.query(insert("request_responses", response));
      await client.query("commit");
    };
    const times: number[] = [];
    for (const group of groups) {
      const start = now();
      for (const save of group) await write(save);
      times.push(now() - start);
    }
    return times;
  } finally {
    await client.end();
  }
}

interface PgEngineLoop {
  roundMs: number[];
  saveMs: number[];
  floorMs: number[];
}

async function runPgEngineLoop(serverUrl: string, rounds: number): Promise<PgEngineLoop> {
  const connection = await openPostgres(await createTestDatabase(serverUrl, "bench_engine"), { max: 2 });
  let initial: StoredPgSave[] = [];
  const groups: StoredPgSave[][] = [];
  const saveMs: number[] = [];
  let roundMs: number[];
  try {
    const recorded: RecordedSave[][] = [];
    ({ roundMs } = await timeRevisionRounds(
      new RecordingStorage(new PgCheckpointStorage(connection)),
      rounds,
      (round, saves) => {
        recorded.push(saves);
        if (round > 0) saveMs.push(saves.reduce((total, save) => total + save.saveMs, 0));
      },
    ));
    // outside the timed part: what each round stored, for the floor
    const [first = [], ...rest] = recorded;
    initial = await readStoredSaves(connection, first);
    for (const saves of rest) groups.push(await readStoredSaves(connection, saves));
  } finally {
    await connection.close();
  }
  // the floor writes into a fresh database with the same schema: the initial run's rows (untimed), then each round
  const floorUrl = await createTestDatabase(serverUrl, "bench_floor");
  await (await openPostgres(floorUrl, { max: 1 })).close();
  await replayRaw(floorUrl, [initial]);
  const floorMs = await replayRaw(floorUrl, groups);
  return { roundMs, saveMs, floorMs };
}

/** The PostgreSQL rows: engine + checkpoint per round, and the 10,000-run inbox (bench/listing-pg.ts). */
export async function benchPostgres(options: {
  engineRepeats: number;
  inboxRepeats: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const existing = process.env.BENCH_POSTGRES_URL;
  const server = existing ? undefined : await startThrowawayPostgres({ durability: "crash-safe" });
  const serverUrl = existing ?? server!.url;
  const where = existing ? "BENCH_POSTGRES_URL" : "local cluster, fsync on, synchronous_commit off";
  try {
    const engine = await benchPgEngine(serverUrl, where, {
      repeats: options.engineRepeats,
      rounds: options.rounds,
      log: options.log,
    });
    const inbox = await benchPgInbox(serverUrl, { repeats: options.inboxRepeats, log: options.log });
    return [engine, { ...inbox, measure: `${inbox.measure} (${where})` }];
  } finally {
    server?.stop();
  }
}

async function benchPgEngine(
  serverUrl: string,
  where: string,
  options: { repeats: number; rounds: number; log: (line: string) => void },
): Promise<BenchRow> {
  const { repeats, rounds, log } = options;
  const loops: PgEngineLoop[] = [];
  await runPgEngineLoop(serverUrl, 10); // warm up the JIT, the server's caches and the pool
  for (let i = 0; i < repeats; i++) {
    const loop = await runPgEngineLoop(serverUrl, rounds);
    loops.push(loop);
    log(
      `  PostgreSQL engine loop ${i + 1}/${repeats}: median ${formatMs(median(loop.roundMs))}/round, store ${formatMs(median(loop.saveMs))}, floor ${formatMs(median(loop.floorMs))}`,
    );
  }
  const perLoop = (pick: (loop: PgEngineLoop) => number[], p = 50) =>
    median(loops.map((loop) => percentile(pick(loop), p)));
  const engine = perLoop((loop) => loop.roundMs);
  const floor = perLoop((loop) => loop.floorMs);
  return {
    id: "engine-round-pg",
    measure: `engine + checkpoint time per revision round on PostgreSQL, ${rounds}-round loop (${where})`,
    reference: "—",
    target: "<= 3x the raw pg floor",
    measured: formatMs(engine),
    floor: formatMs(floor),
    ratio: engine / floor,
    met: engine / floor <= 3,
    details: {
      medianMs: engine,
      p95Ms: perLoop((loop) => loop.roundMs, 95),
      storeSaveMs: perLoop((loop) => loop.saveMs),
      floorMs: floor,
      loops: loops.length,
    },
  };
}
