import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// Proves eslint.config.mjs refuses regular expressions that take super-linear time. The fixtures are strings
// given to lintText, so `eslint .` never sees them.
const cwd = path.resolve(import.meta.dirname, "..");
const SUPER_LINEAR_RULES = new Set(["regexp/no-super-linear-backtracking", "regexp/no-super-linear-move"]);

async function superLinearReports(eslint: ESLint, code: string, filePath = "lib/llm/fixture.ts") {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== null && SUPER_LINEAR_RULES.has(m.ruleId) && m.severity === 2)
    .map((m) => m.ruleId);
}

describe("super-linear regular expressions", () => {
  let eslint: ESLint;
  beforeAll(() => {
    // import/no-cycle cannot build its module graph for a file that is not on disk (it crashes), and this
    // test is about the regexp rules only.
    eslint = new ESLint({ cwd, overrideConfig: { rules: { "import/no-cycle": "off" } } });
  });

  it.each([
    // Nested quantifiers: exponential backtracking.
    ["/(a+)+$/", "regexp/no-super-linear-backtracking"],
    // Two quantifiers that can trade characters: polynomial backtracking.
    ["/^mention\\s+(.+)$/i", "regexp/no-super-linear-backtracking"],
    // A quantified run at the start of an unanchored pattern is rescanned from each of its characters.
    ["/\\s*,\\s*$/", "regexp/no-super-linear-move"],
    // The offline writer's old trailing-punctuation pattern.
    ["/[\\s.!?]+$/", "regexp/no-super-linear-move"],
  ])("reports %s as %s", async (pattern, rule) => {
    expect(
      await superLinearReports(eslint, `export const strip = (text: string) => text.replace(${pattern}, "");\n`),
    ).toContain(rule);
  });

  it("checks patterns built with new RegExp from constant strings", async () => {
    expect(await superLinearReports(eslint, 'export const pattern = new RegExp("(x+x+)+y");\n')).toContain(
      "regexp/no-super-linear-backtracking",
    );
  });

  it.each([
    "lib/workflow/x.ts",
    "lib/cli/x.ts",
    "app/(dashboard)/runs/page.tsx",
    "components/runs/x.tsx",
    "scripts/x.mjs",
  ])("applies in %s", async (filePath) => {
    expect(
      await superLinearReports(eslint, "export const strip = (text) => text.replace(/[\\s.!?]+$/, '');\n", filePath),
    ).not.toEqual([]);
  });

  it("accepts the linear rewrites used in the offline writer", async () => {
    const code = [
      "export const a = /^(?:mention|note)\\s+(?:that\\s+)?(\\S.*)$/i;",
      "export const b = /,?(?<!\\s)\\s+and\\s+|,\\s+/;",
      "export const c = /^\\s*\\S+\\s*|\\S+\\s*/g;",
      "export const d = /(?<!\\/)\\/+$/;",
    ].join("\n");
    expect(await superLinearReports(eslint, `${code}\n`)).toEqual([]);
  });
});
