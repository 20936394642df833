/**
 * A throwaway PostgreSQL cluster for tests, benchmarks and `npm run cluster` (../shared/recipes/postgres.md): initdb
 * in a temp folder, trust auth, loopback only, its socket in the same folder, started with pg_ctl and removed at the
 * end. As root it runs as the `postgres` system user (PostgreSQL refuses root).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

export interface ThrowawayPostgres {
  /** A superuser URL to the `postgres` database. */
  url: string;
  stop(): void;
}

/** The newest installed server's bin folder, or undefined. */
function serverBinaries(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(a) - Number(b));
  const bin = versions.length > 0 ? path.join(root, versions.at(-1)!, "bin") : undefined;
  return bin && fs.existsSync(path.join(bin, "initdb")) ? bin : undefined;
}

/**
 * `test`: no durability at all (fsync off), fastest. `crash-safe`: what SQLite's WAL + synchronous=NORMAL gives the
 * app (a committed transaction survives a crash of the server; a power loss may drop the last ones): fsync and full
 * page writes on, synchronous_commit off. Benchmarks that compare with SQLite use it.
 */
export type PostgresDurability = "test" | "crash-safe";

const DURABILITY_SETTINGS: Record<PostgresDurability, string> = {
  test: "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
  "crash-safe": "-c fsync=on -c synchronous_commit=off -c full_page_writes=on",
};

export async function startThrowawayPostgres(
  options: { durability?: PostgresDurability } = {},
): Promise<ThrowawayPostgres> {
  const bin = serverBinaries();
  if (!bin)
    throw new Error(
      "PostgreSQL is not installed: `apt-get install -y postgresql` (scripts/test.sh does it), or set DRAFTGATE_TEST_POSTGRES_URL",
    );
  const isRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftgate-pg-"));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, "data");
  const run = (command: string, args: string[]) =>
    isRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, command), ...args], { stdio: "pipe" })
      : execFileSync(path.join(bin, command), args, { stdio: "pipe" });
  if (isRoot) execFileSync("install", ["-d", "-o", "postgres", data]);
  else fs.mkdirSync(data);
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    path.join(data, "log"),
    "-o",
    `-p ${port} -k ${data} -c listen_addresses=127.0.0.1 ${DURABILITY_SETTINGS[options.durability ?? "test"]} -c max_connections=200`,
    "-w",
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
