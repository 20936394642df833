import { connectPostgres } from "@/db/pg/client";
import { PgStore } from "@/db/pg/pg-store";
import { openSqliteStore } from "@/db/sqlite-store";
import type { Store } from "@/db/store";
import { PeopleService, type Role, type WorkspaceSettings } from "@/lib/services";
import { operator } from "./actors";
import { isPostgresUrl } from "./database-rows";

export interface SeededPerson {
  email: string;
  name: string;
  role: Role;
  password: string;
  /** An API key of theirs, for HTTP calls (`Authorization: Bearer <apiKey>`). */
  apiKey: string;
}

/** A password the strength rule accepts, distinct per person. */
export function passwordFor(name: string): string {
  return `Kettle-Orbit-${name.replace(/\W+/g, "")}-Violet-42`;
}

/**
 * Creates people (each with a password and an API key) directly in a database (a SQLite file, or a migrated
 * PostgreSQL database's URL), as `npm run cli -- user add` would, and sets workspace `settings`: for tests that need
 * signed-in actors without clicking through setup.
 */
export async function seedPeople(
  database: string,
  people: ReadonlyArray<{ name: string; role: Role; email?: string }>,
  settings: Partial<WorkspaceSettings> = {},
): Promise<Record<string, SeededPerson>> {
  const store: Store = isPostgresUrl(database)
    ? new PgStore(connectPostgres(database, { max: 1 }), { ownsConnection: true })
    : openSqliteStore(database);
  try {
    const service = new PeopleService({ store });
    await service.updateSettings(operator, settings);
    const seeded: Record<string, SeededPerson> = {};
    for (const person of people) {
      const email = person.email ?? `${person.name.toLowerCase().replace(/\W+/g, ".")}@example.com`;
      const password = passwordFor(person.name);
      const created =
        (await service.findPersonByEmail(email)) ??
        (await service.addPerson(operator, { email, name: person.name, role: person.role, password }));
      const apiKey = (await service.createApiKey(operator, { name: "tests", forEmail: created.email })).key;
      seeded[person.name] = { email, name: person.name, role: person.role, password, apiKey };
    }
    return seeded;
  } finally {
    await store.close();
  }
}
