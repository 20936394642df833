import { afterEach, beforeEach } from "vitest";
import { openDatabase, type DatabaseConnection } from "@/db/client";
import { OfflineWriter } from "@/lib/release-notes";
import { DraftgateService, type DraftgateServiceOptions } from "@/lib/services/draftgate-service";
import { makeTempDir } from "./temp-database";

/** The service's options but its connection: the harness opens that (see `connect`). */
export type ServiceDefaults = Partial<Omit<DraftgateServiceOptions, "connection">>;
/** What `make` takes: a database (`file`, the test's "app.db" by default) and any option of the service. */
export type ServiceOverrides = ServiceDefaults & { file?: string };

export interface ServiceHarness {
  /** A database of this test, by name: every service made with the same one shares it. */
  file(name?: string): string;
  /** A service over `file` (or the test's "app.db"), closed with its connection after the test. */
  make(options?: ServiceOverrides): DraftgateService;
}

/** The one place that opens a test's database. */
function connect(file: string): DatabaseConnection {
  return openDatabase(file);
}

/**
 * Services for the tests of one file, each test with databases of its own: registers the hooks that make a fresh
 * temp dir before each test, and close every service made in it (and remove the dir) after. Call it after the
 * file's own `afterEach` hooks when those must run once the services are closed (vitest runs them in reverse).
 * `defaults` apply to every `make`, under its own options; the writer is the offline one unless they say otherwise.
 */
export function serviceHarness(defaults: ServiceDefaults = {}): ServiceHarness {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  let services: DraftgateService[] = [];

  beforeEach(() => {
    temp = makeTempDir();
    services = [];
  });
  afterEach(async () => {
    await Promise.all(services.map((service) => service.close()));
    services = [];
    temp?.cleanup();
    temp = undefined;
  });

  const file = (name = "app.db") => {
    if (!temp) throw new Error("serviceHarness: a database is only there during a test (or its beforeEach)");
    return temp.file(name);
  };

  return {
    file,
    make({ file: path = file(), ...options } = {}) {
      const service = new DraftgateService({
        chatClient: new OfflineWriter(),
        ownsConnection: true,
        ...defaults,
        ...options,
        connection: connect(path),
      });
      services.push(service);
      return service;
    },
  };
}
