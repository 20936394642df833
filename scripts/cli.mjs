/**
 * `npm run cli -- <command>`: runs the CLI (lib/cli/main.ts) as one esbuild bundle on plain node, without a
 * TypeScript loader (tsx costs ~300 ms and ~40 MiB per process; see docs/BENCHMARKS.md, P8).
 *
 * The bundle lives in `.cli/draftgate-cli.mjs` (gitignored). Its first line records a stamp of the sources it
 * was built from (newest mtime and entry count of lib/, db/ without db/migrations, package-lock.json,
 * tsconfig.json and this file); when the stamp no longer matches, the bundle is rebuilt before it runs.
 * db/migrations is read at run time from process.cwd(), so it is not part of the bundle.
 *
 * Concurrent starts are safe: each builder writes its own temp file and renames it over the bundle (atomic),
 * so a reader sees either the old or the new bundle, never a partial one. Nothing is printed on stdout.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(root, ".cli");
const outFile = path.join(outDir, "draftgate-cli.mjs");
const STAMP_PREFIX = "// draftgate-cli-stamp:";

/** Packages left to node at run time: native addons, and @azure/identity (loaded lazily, only for keyless Azure). */
const EXTERNAL = ["better-sqlite3", "@azure/identity"];

/** Newest mtime and number of entries (files and folders) under `dir`, skipping `skip` folders. */
function scan(dir, skip, acc) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  acc.newest = Math.max(acc.newest, fs.statSync(dir).mtimeMs);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(full) && entry.name !== "node_modules") scan(full, skip, acc);
    } else {
      acc.count += 1;
      acc.newest = Math.max(acc.newest, fs.statSync(full).mtimeMs);
    }
  }
}

function sourceStamp() {
  const acc = { newest: 0, count: 0 };
  const skip = new Set([path.join(root, "db", "migrations")]);
  scan(path.join(root, "lib"), skip, acc);
  scan(path.join(root, "db"), skip, acc);
  for (const file of ["package-lock.json", "tsconfig.json", "scripts/cli.mjs"]) {
    try {
      acc.newest = Math.max(acc.newest, fs.statSync(path.join(root, file)).mtimeMs);
      acc.count += 1;
    } catch {
      // a missing file simply does not count
    }
  }
  return `${acc.newest}:${acc.count}`;
}

function bundleStamp() {
  let fd;
  try {
    fd = fs.openSync(outFile, "r");
    const buffer = Buffer.alloc(128);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const firstLine = buffer.toString("utf8", 0, read).split("\n", 1)[0];
    return firstLine.startsWith(STAMP_PREFIX) ? firstLine.slice(STAMP_PREFIX.length) : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

async function buildBundle(stamp) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(root, "lib", "cli", "main.ts")],
    outfile: outFile,
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: EXTERNAL,
    // Resolves the `@/` alias from tsconfig "paths".
    tsconfig: path.join(root, "tsconfig.json"),
    absWorkingDir: root,
    // CommonJS dependencies inside an ES module bundle still call require() and may read __dirname.
    banner: {
      js: [
        `${STAMP_PREFIX}${stamp}`,
        "import { createRequire as __draftgateCreateRequire } from 'node:module';",
        "import { fileURLToPath as __draftgateFileURLToPath } from 'node:url';",
        "import { dirname as __draftgateDirname } from 'node:path';",
        "const require = __draftgateCreateRequire(import.meta.url);",
        "const __filename = __draftgateFileURLToPath(import.meta.url);",
        "const __dirname = __draftgateDirname(__filename);",
      ].join("\n"),
    },
    logLevel: "error",
  });
  const output = result.outputFiles[0];
  fs.mkdirSync(outDir, { recursive: true });
  const temp = `${outFile}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(temp, output.contents);
    fs.renameSync(temp, outFile);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

const stamp = sourceStamp();
if (bundleStamp() !== stamp) {
  try {
    await buildBundle(stamp);
  } catch (error) {
    // Reported as main.ts reports a program that cannot load: one line on stderr, one JSON document with --json.
    const message = `could not bundle the CLI: ${error instanceof Error ? error.message : String(error)}`
      .replace(/\s+/g, " ")
      .trim();
    process.stderr.write(`error [INTERNAL]: ${message}\n`);
    if (process.argv.includes("--json"))
      process.stdout.write(`${JSON.stringify({ ok: false, error: { code: "INTERNAL", message }, exitCode: 1 })}\n`);
    process.exit(1);
  }
}
// The bundle reads process.argv itself (argv[2...] are the CLI's arguments, as with `tsx lib/cli/main.ts`).
await import(pathToFileURL(outFile).href);
