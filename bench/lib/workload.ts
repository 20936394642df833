/**
 * The benchmark workload: the release-notes workflow with the offline writer at zero latency, a fixed brief,
 * and one revision guidance per round (the offline writer quotes guidance it cannot interpret, so each draft
 * differs from the previous one and stays about the same length, as a real revision loop would).
 */
import { openDatabase, type DatabaseConnection } from "@/db/client";
import { SqliteCheckpointStorage } from "@/db/sqlite-checkpoint-storage";
import type { Store } from "@/db/store";
import { DraftgateService } from "@/lib/services/draftgate-service";
import { operator } from "@/tests/support/actors";
import { createReleaseNotesWorkflow, OfflineWriter } from "@/lib/release-notes";
import type { CheckpointStorage, Workflow } from "@/lib/workflow";
import type { RecordedSave, RecordingStorage } from "./recording-storage";
import { now } from "./stats";

export const BRIEF =
  "Introduce our limited edition smart coffee grinder at $249. Mention that a sensor auto-adjusts the grind for every bean, " +
  "highlight the quiet ceramic burrs and the app that remembers each household's favourite settings, and invite customers to pre-order.";

/** The reviewer's answer in round `round` (1-based): revision guidance, different every round. */
export function guidanceFor(round: number): string {
  return `Round ${round}: make it a little warmer and keep the price visible.`;
}

export function createWorkflow(storage: CheckpointStorage): Workflow {
  return createReleaseNotesWorkflow({ chatClient: new OfflineWriter({ delayMs: 0 }), storage });
}

/** The release-notes engine over SQLite with the app's own settings (WAL, synchronous=NORMAL, migrations). */
export function openEngine(file: string): {
  connection: DatabaseConnection;
  storage: SqliteCheckpointStorage;
  workflow: Workflow;
} {
  const connection = openDatabase(file);
  const storage = new SqliteCheckpointStorage(connection);
  return { connection, storage, workflow: createWorkflow(storage) };
}

/** The logical size of a database: page_count * page_size (includes pages still in the WAL; no VACUUM). */
export function databaseBytes(connection: DatabaseConnection): number {
  const pageCount = connection.sqlite.pragma("page_count", { simple: true }) as number;
  const pageSize = connection.sqlite.pragma("page_size", { simple: true }) as number;
  return pageCount * pageSize;
}

/**
 * The services layer as the dashboard uses it, on `store` (SQLite or PostgreSQL), with the offline writer at zero
 * latency and room for the benchmark's 100 revision rounds on one run (the workspace allows 10 by default). The
 * service's `close()` closes the store (and its connection if the store owns it).
 */
export async function createBenchService(store: Store): Promise<DraftgateService> {
  const service = new DraftgateService({
    store,
    chatClient: new OfflineWriter({ delayMs: 0 }),
  });
  await service.people.updateSettings(operator, { maxRevisionRounds: 1_000 });
  return service;
}

/**
 * The revision loop both engine benches time: the brief, then `rounds` rounds of guidance, each timed from the
 * answer to the next pause. `afterRound` gets what each round saved, round 0 being the brief (outside the timed part).
 */
export async function timeRevisionRounds(
  recording: RecordingStorage,
  rounds: number,
  afterRound: (round: number, saves: RecordedSave[]) => void | Promise<void> = () => {},
): Promise<{ roundMs: number[]; initialSaves: RecordedSave[] }> {
  const workflow = createWorkflow(recording);
  let result = await workflow.run(BRIEF);
  const initialSaves = recording.saves.slice();
  await afterRound(0, initialSaves);
  const roundMs: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const request = result.pendingRequests[0];
    if (!request) throw new Error(`round ${round}: no pending request (status ${result.status})`);
    const first = recording.saves.length;
    const start = now();
    result = await workflow.sendResponses({ [request.requestId]: guidanceFor(round) });
    roundMs.push(now() - start);
    if (result.status !== "IDLE_WITH_PENDING_REQUESTS") throw new Error(`round ${round}: status ${result.status}`);
    await afterRound(round, recording.saves.slice(first));
  }
  return { roundMs, initialSaves };
}
