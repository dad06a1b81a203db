#!/usr/bin/env bash
# The test command: installs what is missing (PostgreSQL, Chromium, poppler), starts a throwaway
# cluster, builds with warnings as errors, runs every test and ends with "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Orgs).
source "$(dirname "$0")/lib/common.sh"
ensure_dotnet
ensure_postgres
apt_install chromium poppler-utils fonts-liberation2 ca-certificates zbar-tools

PORT="${HLB_TEST_PORT:-}"
if [ -z "$PORT" ]; then
  for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; break; fi
  done
fi
TEST_HOME="$(mktemp -d /tmp/hlb-test.XXXXXX)"
chmod 755 "$TEST_HOME"
cleanup() { stop_cluster "$TEST_HOME"; as_root rm -rf "$TEST_HOME"; }
trap cleanup EXIT
start_cluster "$TEST_HOME" "$PORT" throwaway
export HLB_TEST_PG="Host=127.0.0.1;Port=$PORT;Username=postgres;Maximum Pool Size=20"
export HLB_PG_BIN="$PGBIN"
RESULTS="$ROOT/artifacts/test-results"
export HLB_ARTIFACTS="$ROOT/artifacts"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

log "restoring the pinned dotnet-ef tool (dotnet-tools.json)"
(cd "$ROOT" && dotnet tool restore >/dev/null)

log "building (warnings are errors)"
dotnet build "$ROOT/HocLamTheoBac.sln" -c Release --nologo -v quiet -warnaserror

log "running tests"
set +e
dotnet test "$ROOT/HocLamTheoBac.sln" -c Release --no-build --nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" "$@"
rc=$?
set -e

trx="$(find "$RESULTS" -name '*.trx' | head -n 1)"
if [ -n "$trx" ]; then
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed="$(get passed)"; failed="$(get failed)"; notrun="$(get notExecuted)"
  echo "${passed:-0} passed, ${failed:-0} failed, ${notrun:-0} skipped"
else
  echo "0 passed, 1 failed, 0 skipped"
  [ $rc -eq 0 ] && rc=1
fi
exit $rc
