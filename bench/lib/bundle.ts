import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { repoRoot } from "./child";

/**
 * Bundles a bench entry into one ES module (better-sqlite3 stays external: it is a native addon), so a child
 * can run on plain `node` without a TypeScript loader: what a precompiled CLI or worker would start with.
 */
export async function bundleEntry(entry: string, name: string): Promise<string> {
  const outfile = path.join(repoRoot, "bench", "results", "bundles", `${name}.mjs`);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3"],
    tsconfig: path.join(repoRoot, "tsconfig.json"),
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
  return outfile;
}
