import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Conventions every API route file keeps (STYLE.md, issue 5 item 8), checked over the files themselves so a
// new route cannot forget them: the opening comment names the methods and the path, every POST refuses a
// foreign Origin, and every failure goes through the one error helper.

const apiDir = path.resolve(import.meta.dirname, "../../app/api");

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

function apiPathOf(file: string): string {
  const segments = path.relative(apiDir, path.dirname(file)).split(path.sep).filter(Boolean);
  return ["/api", ...segments.map((segment) => segment.replace(/^\[(.+)\]$/, ":$1"))].join("/");
}

const files = routeFiles(apiDir).map((file) => ({
  file,
  apiPath: apiPathOf(file),
  source: fs.readFileSync(file, "utf8"),
}));
/** Open to everyone: the liveness and readiness probes, and the sign-in library's own endpoints (which check origins themselves). */
const publicRoutes = new Set(["/api/health", "/api/ready", "/api/auth/:...all"]);
const ownRoutes = files.filter((route) => !publicRoutes.has(route.apiPath));

describe("API route files", () => {
  it("lists every route that is open to everyone", () => {
    expect(
      files
        .map((route) => route.apiPath)
        .filter((apiPath) => publicRoutes.has(apiPath))
        .sort(),
    ).toEqual([...publicRoutes].sort());
  });

  it("exist", () => {
    expect(files.map((route) => route.apiPath).sort()).toEqual(
      expect.arrayContaining([
        "/api/health",
        "/api/runs",
        "/api/runs/:runId",
        "/api/runs/:runId/events",
        "/api/checkpoints/:checkpointId/resume",
      ]),
    );
  });

  it.each(files.map((route) => [route.apiPath, route] as const))(
    "%s opens with a comment naming its methods and path",
    (apiPath, route) => {
      const firstLine = route.source.split("\n")[0] ?? "";
      const methods = [...route.source.matchAll(/^export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b/gm)].map(
        (match) => match[1],
      );
      expect(methods.length).toBeGreaterThan(0);
      expect(firstLine.startsWith("// ")).toBe(true);
      for (const method of methods)
        expect(firstLine).toMatch(new RegExp(`\\b${method} ${apiPath.replace(/[/:]/g, "\\$&")}(?![\\w/])`));
    },
  );

  it.each(ownRoutes.map((route) => [route.apiPath, route] as const))(
    "%s refuses foreign origins on changes, requires a signed-in actor, and answers errors with jsonError",
    (_apiPath, route) => {
      const handlers = route.source.split(/^export (?:async )?function /m).slice(1);
      for (const handler of handlers) {
        if (/^(POST|PUT|PATCH|DELETE)\b/.test(handler)) expect(handler).toMatch(/^[ \t]+assertSameOrigin\(request\);/m);
        // before anything else is read: no data is touched for an anonymous request
        expect(handler).toMatch(
          /^[ \t]+(assertSameOrigin\(request\);\s+)?const actor = await requireActor\(request\);/m,
        );
        expect(handler).toMatch(/catch \(error\) \{\s+return jsonError\(error, request\);/);
      }
    },
  );
});
