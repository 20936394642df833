#!/usr/bin/env bash
# `npm start`: install if needed, build if needed, then serve the dashboard (next start) on PORT (default 3000).
# The server applies database migrations itself at startup.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "> installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# Build when there is no build yet, or when a source or config file changed since the last one.
sources=(app components lib db public next.config.ts postcss.config.mjs tsconfig.json package-lock.json)
existing=()
for s in "${sources[@]}"; do [ -e "$s" ] && existing+=("$s"); done
if [ ! -f .next/BUILD_ID ] || [ -n "$(find "${existing[@]}" -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  echo "> building (next build)"
  node_modules/.bin/next build
fi

# npm run cluster builds once before starting its instances
if [ "${DRAFTGATE_BUILD_ONLY:-}" = "1" ]; then exit 0; fi

# Same rule as lib/env.ts: the real environment wins over .env, and PORT defaults to 3000.
port=$(node -e '
  const fs = require("node:fs");
  const fromFile = fs.existsSync(".env") ? require("dotenv").parse(fs.readFileSync(".env")).PORT : undefined;
  process.stdout.write(process.env.PORT || fromFile || "3000");
')
echo "> Draftgate on http://localhost:${port}"
# instrumentation.ts shuts down gracefully on SIGTERM/SIGINT (releasing runs and leases); Next must not exit first
export NEXT_MANUAL_SIG_HANDLE=true
exec node_modules/.bin/next start -p "$port"
