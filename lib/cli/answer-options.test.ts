import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { draftSha256 } from "@/lib/services";
import { makeTempDir } from "@/tests/support/temp-database";
import { parseAnswerOptions, resolveEdit, type AnswerOption } from "./answer-options";

const none = { respond: [], approve: [], reject: [], edit: [] };
const draft = { draft: "Dark mode ships today.", draftSha256: draftSha256("Dark mode ships today.") };

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir("draftgate-cli-answers-");
});
afterEach(() => temp.cleanup());

describe("resume's answer options", () => {
  it("turns each flag into the decision the services take, keeping SPEC §9 text for --respond", () => {
    const { byRequest, approvesTheRest } = parseAnswerOptions({
      respond: ["a=Shorter, = fine", "b= APPROVE "],
      approve: ["c", "c"],
      reject: ["d=Off-brand."],
      edit: ["e=notes.txt"],
    });

    expect(approvesTheRest).toBe(false);
    expect(Object.fromEntries(byRequest)).toEqual({
      a: {
        flag: "--respond",
        requestId: "a",
        kind: "given",
        answer: { decision: "revise", response: "Shorter, = fine", words: "Shorter, = fine" },
      },
      b: {
        flag: "--respond",
        requestId: "b",
        kind: "given",
        answer: { decision: "approve", response: "APPROVE", words: "APPROVE" },
      },
      c: {
        flag: "--approve",
        requestId: "c",
        kind: "given",
        answer: { decision: "approve", response: "approve", words: "approve" },
      },
      d: {
        flag: "--reject",
        requestId: "d",
        kind: "given",
        answer: { decision: "reject", response: { decision: "reject", reason: "Off-brand." }, words: "Off-brand." },
      },
      e: { flag: "--edit", requestId: "e", kind: "edit", file: "notes.txt" },
    });
    expect(parseAnswerOptions({ ...none, approve: [""] }).approvesTheRest).toBe(true);
  });

  it("refuses malformed values and a request answered twice", () => {
    expect(() => parseAnswerOptions({ ...none, reject: ["d"] })).toThrow(
      '--reject expects <requestId>=<reason>, got "d"',
    );
    expect(() => parseAnswerOptions({ ...none, reject: ["d=  "] })).toThrow("--reject needs a reason");
    expect(() => parseAnswerOptions({ ...none, edit: ["e="] })).toThrow("--edit needs a file");
    expect(() => parseAnswerOptions({ ...none, edit: ["e=-", "f=-"] })).toThrow("Only one --edit can read stdin (-)");
    expect(() => parseAnswerOptions({ ...none, respond: ["a=x", "a=y"] })).toThrow("--respond gives request a twice");
    expect(() => parseAnswerOptions({ ...none, approve: ["a"], edit: ["a=f"] })).toThrow(
      "Request a is answered twice (--approve and --edit)",
    );
  });

  it("reads an edit from its file or stdin, and refuses an empty or unchanged text", async () => {
    const edit = (file: string): Extract<AnswerOption, { kind: "edit" }> => ({
      flag: "--edit",
      requestId: "e",
      kind: "edit",
      file,
    });
    fs.writeFileSync(temp.file("new.txt"), "Dark mode is here.\n");
    fs.writeFileSync(temp.file("same.txt"), `${draft.draft}\n`);
    const noStdin = () => Promise.reject(new Error("stdin must not be read"));

    expect(await resolveEdit(edit(temp.file("new.txt")), draft, noStdin)).toEqual({
      decision: "edit",
      response: { decision: "edit", text: "Dark mode is here.", draftSha256: draft.draftSha256 },
      words: "Dark mode is here.",
    });
    expect((await resolveEdit(edit("-"), draft, async () => "From stdin.\n")).words).toBe("From stdin.");
    await expect(resolveEdit(edit(temp.file("same.txt")), draft, noStdin)).rejects.toThrow(
      "holds the draft unchanged; approve it with --approve e instead",
    );
    await expect(resolveEdit(edit("-"), draft, async () => " \n")).rejects.toThrow("--edit e: stdin holds no text");
    await expect(resolveEdit(edit(temp.file("missing.txt")), draft, noStdin)).rejects.toMatchObject({
      code: "BAD_OPTION",
      message: expect.stringContaining("(ENOENT)"),
    });
  });
});
