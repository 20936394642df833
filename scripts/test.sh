#!/usr/bin/env bash
# Every check and test: lint, types, unit, build, e2e (Debian chromium), durability (real crashes), then one summary.
# A failing step does not stop the others; the exit code is non-zero if any step failed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

T0=$SECONDS
step_names=()
step_codes=()
header() { echo; echo "=== $* (t+$((SECONDS - T0))s)"; }
record() { step_names+=("$1"); step_codes+=("$2"); echo "--- $1: exit $2 ($(( SECONDS - step_start ))s)"; }
# run_step NAME CMD...: runs CMD, records its exit code, never aborts the script.
run_step() {
  local name=$1; shift
  header "$name"
  step_start=$SECONDS
  local rc=0
  "$@" || rc=$?
  record "$name" "$rc"
  return 0
}

system_packages() {
  # Debian's chromium (Playwright drives it) and PostgreSQL's server (the PostgreSQL store's tests start a
  # throwaway cluster, unless DRAFTGATE_TEST_POSTGRES_URL names a server)
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if [ -z "${DRAFTGATE_TEST_POSTGRES_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "missing system packages and this is not root: install them with" >&2
      echo "  sudo apt-get install -y ${missing[*]}   (or set CHROMIUM_PATH / DRAFTGATE_TEST_POSTGRES_URL)" >&2
      return 1
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  chromium --version 2>/dev/null || true
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true
}

npm_ci_if_needed() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    echo "node_modules is up to date with package-lock.json"
  fi
}

typecheck() { npx next typegen && npx tsc --noEmit; }

mkdir -p reports
rm -f reports/unit.json reports/e2e.json reports/durability.json

run_step "system packages" system_packages
run_step "npm ci" npm_ci_if_needed
run_step "lint" npm run --silent lint
run_step "typecheck" typecheck
run_step "unit" npx vitest run --reporter=default --reporter=json --outputFile.json=reports/unit.json
run_step "build" npx next build
build_rc=${step_codes[${#step_codes[@]}-1]}
if [ "$build_rc" -eq 0 ]; then
  run_step "e2e" npx playwright test
  # Fault injection with real processes (kill -9, two servers, the CLI) against the same production build.
  run_step "durability" npx vitest run --config vitest.durability.config.ts --reporter=default --reporter=json --outputFile.json=reports/durability.json
else
  for suite in e2e durability; do
    header "$suite"; echo "skipped: the build failed, so there is no server to test"; step_start=$SECONDS; record "$suite" 1
  done
fi

header "summary (total $((SECONDS - T0))s)"
summary_args=()
for i in "${!step_names[@]}"; do summary_args+=(--step "${step_names[$i]}=${step_codes[$i]}"); done
summary_rc=0
node scripts/ci-summary.mjs reports/unit.json reports/e2e.json reports/durability.json "${summary_args[@]}" || summary_rc=$?

for code in "${step_codes[@]}"; do
  if [ "$code" -ne 0 ]; then exit 1; fi
done
exit "$summary_rc"
