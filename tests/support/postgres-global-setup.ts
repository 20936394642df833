import type { TestProject } from "vitest/node";
import { startThrowawayPostgres } from "./postgres";

/** One PostgreSQL server per test run (or the one DRAFTGATE_TEST_POSTGRES_URL names); files create databases on it. */
export default async function setup(project: TestProject): Promise<() => void> {
  const existing = process.env.DRAFTGATE_TEST_POSTGRES_URL;
  if (existing) {
    project.provide("postgresUrl", existing);
    return () => {};
  }
  const server = await startThrowawayPostgres();
  project.provide("postgresUrl", server.url);
  return () => server.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
