import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // NEXT_DIST_DIR lets two builds of one checkout live side by side (e.g. a cluster's web and worker); build-time only.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // NEXT_OUTPUT is a build-time switch only (not app configuration), so it is read here rather than via lib/env.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // Native module: load it from node_modules at runtime instead of bundling (also in Next's built-in list).
  serverExternalPackages: ["better-sqlite3"],
  // `npm test` runs `tsc --noEmit` as its own step, so the build skips its duplicate type-check pass (STACK P7):
  // one type error is then reported once, and the build and e2e steps still run.
  typescript: { ignoreBuildErrors: true },
  // no "X-Powered-By: Next.js" on responses
  poweredByHeader: false,
};

export default nextConfig;
