import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { editInEditor } from "./draft-editor";

// A real editor process: a node script standing in for $EDITOR, which records the file it was given.
let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir("draftgate-cli-editor-");
});
afterEach(() => temp.cleanup());

function fakeEditor(body: string): string {
  const script = temp.file("editor.mjs");
  fs.writeFileSync(
    script,
    `import fs from "node:fs";\nconst file = process.argv[2];\nfs.writeFileSync(${JSON.stringify(temp.file("seen.txt"))}, file);\n${body}\n`,
  );
  return `'${process.execPath}' '${script}'`;
}

describe("editing a draft in the reviewer's editor", () => {
  it("hands the editor a file holding the draft and returns what it saved, then removes the file", async () => {
    const editor = fakeEditor('fs.writeFileSync(file, fs.readFileSync(file, "utf8").toUpperCase());');

    const outcome = await editInEditor(editor, "Dark mode ships today.");

    expect(outcome).toEqual({ kind: "saved", text: "DARK MODE SHIPS TODAY.\n" });
    const file = fs.readFileSync(temp.file("seen.txt"), "utf8");
    expect(file).toMatch(/draftgate-edit-[^/]+\/draft\.md$/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("reports an editor that exits with an error, and one that cannot start", async () => {
    expect(await editInEditor(fakeEditor("process.exit(3);"), "Draft.")).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/exited with code 3$/),
    });
    expect(await editInEditor(temp.file("no-such-editor"), "Draft.")).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/was not found; set \$VISUAL or \$EDITOR/),
    });
  });
});
