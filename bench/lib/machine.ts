import fs from "node:fs";
import os from "node:os";
import Database from "better-sqlite3";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  sqlite: string;
  betterSqlite3: string;
}

export function describeMachine(): MachineInfo {
  const db = new Database(":memory:");
  const sqlite = (db.prepare("SELECT sqlite_version() AS version").get() as { version: string }).version;
  db.close();
  const packageVersion = (name: string) => {
    try {
      return (
        JSON.parse(fs.readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), "utf8")) as {
          version: string;
        }
      ).version;
    } catch {
      return "unknown";
    }
  };
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    sqlite,
    betterSqlite3: packageVersion("better-sqlite3"),
  };
}

/** The 1-, 5- and 15-minute load averages. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return [one, five, fifteen];
}

/** Polls the 1-minute load until it is below `threshold` or `maxWaitMs` has passed; returns the last reading. */
export async function waitForQuiet(
  threshold: number,
  maxWaitMs: number,
  log: (line: string) => void,
): Promise<[number, number, number]> {
  const deadline = Date.now() + maxWaitMs;
  let load = loadAverage();
  while (load[0] >= threshold && Date.now() < deadline) {
    log(
      `  waiting for a quieter machine: load ${load.map((value) => value.toFixed(2)).join(" ")} (want 1-minute < ${threshold})`,
    );
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    load = loadAverage();
  }
  return load;
}
