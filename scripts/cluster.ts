/**
 * `npm run cluster`: Draftgate as a team runs it beyond one machine, on this one: a throwaway PostgreSQL server,
 * two web instances (DRAFTGATE_ROLE=web) and a worker (`npm run worker`), all on one database. Prints the URLs;
 * Ctrl-C stops everything (the worker releases its runs, the web instances drain their streams) and removes the
 * database. For trying it out, not for production: docs/DEPLOY.md says how to run the same topology for real.
 *
 * CLUSTER_PORT (default 3000) is web instance A's port; B's is the next one.
 */
import { buildIfNeeded, startCluster } from "./lib/cluster";

const basePort = Number(process.env.CLUSTER_PORT ?? 3000);

async function main(): Promise<void> {
  buildIfNeeded();
  console.log("> starting PostgreSQL (a throwaway server in a temp folder), two web instances and a worker");
  const cluster = await startCluster({
    ports: [basePort, basePort + 1],
    onLine: (name, line) => process.stdout.write(`[${name}] ${line}\n`),
  });
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n> ${why}: the worker releases its runs, the web instances drain their streams`);
    await cluster.stop();
    console.log("> stopped; the cluster's database is gone");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("stopping"));
  process.on("SIGTERM", () => void stop("stopping"));
  void cluster.exited.then(({ name, code }) => stop(`${name} exited (code ${code}), stopping the rest`));
  const [a, b] = cluster.webs;
  console.log(`
Draftgate cluster: PostgreSQL, two web instances and a worker
  web instance A  ${a}
  web instance B  ${b}
  worker          pid ${cluster.workerPid} (executes runs, fires timers, sends notifications)
  PostgreSQL      ${cluster.databaseUrl}
Open A, set up the first admin, submit a brief, and watch the run on B: the worker drafts it and the tokens reach
both. Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
