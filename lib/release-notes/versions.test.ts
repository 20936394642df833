import { describe, expect, it } from "vitest";
import { OfflineWriter } from "./writers/offline-writer";
import { createReleaseNotesWorkflow } from "./workflow";
import { RELEASE_NOTES_VERSION, RELEASE_NOTES_VERSIONS } from "./versions";

describe("release-notes workflow versions", () => {
  it("builds the graph of the current version: a graph change must add a version that says how older runs finish", () => {
    const current = RELEASE_NOTES_VERSIONS.find((entry) => entry.version === RELEASE_NOTES_VERSION);
    expect(createReleaseNotesWorkflow({ chatClient: new OfflineWriter() }).graphSignature).toBe(
      current?.graphSignature,
    );
  });

  it("serves every version's runs by a version with the same graph", () => {
    for (const entry of RELEASE_NOTES_VERSIONS) {
      const server = RELEASE_NOTES_VERSIONS.find((candidate) => candidate.version === entry.servedBy);
      expect(server, `version ${entry.version} is served by ${entry.servedBy}`).toBeDefined();
      expect(server!.graphSignature).toBe(entry.graphSignature);
      expect(entry.servedBy).toBe(RELEASE_NOTES_VERSION);
    }
  });
});
