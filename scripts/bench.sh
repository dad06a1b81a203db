#!/usr/bin/env bash
# The benchmark (never part of the tests). On a fresh machine: installs what is missing, starts a
# private, tuned PostgreSQL cluster (fsync on: these are the settings a real server would use), builds
# the synthetic province and prints every figure as a median of several runs AND as a ratio to a
# baseline measured in the same run. Writes the table to docs/benchmarks.md.
#
#   scripts/bench.sh                       full run (about 8–10 minutes on 2 cores)
#   BENCH_RUNS=5 scripts/bench.sh          more runs per figure (default 3)
#
# URLs under load are variables so merged pages can be measured without editing the script;
# {branch}, {member} and {org} are replaced with a typical branch id, one of its members and the root id:
#   BENCH_GRID_URL       branch grid (default "/" until the grid of issue 4 is merged)
#   BENCH_MEMBER_URL     the member's page (pending merge when empty)
#   BENCH_DASHBOARD_URL  the province dashboard (pending merge when empty)
source "$(dirname "$0")/lib/common.sh"
ensure_dotnet
ensure_postgres
apt_install wrk curl

RUNS="${BENCH_RUNS:-3}"
PG_PORT="${BENCH_PG_PORT:-55990}"
SITE_PORT="${BENCH_SITE_PORT:-5099}"
MEMBERS="${BENCH_MEMBERS:-320000}"
GROWTH_MEMBERS="${BENCH_GROWTH_MEMBERS:-1000000}"
YEAR=2025
GRID_URL="${BENCH_GRID_URL:-/}"
MEMBER_URL="${BENCH_MEMBER_URL:-}"
DASHBOARD_URL="${BENCH_DASHBOARD_URL:-}"
OUT="${BENCH_OUT:-$ROOT/docs/benchmarks.md}"
APP="$ROOT/.data/bench-app"
PASSWORD="BenchMark2025x"

WORK="$(mktemp -d /tmp/hlb-bench.XXXXXX)"
chmod 755 "$WORK"
SITE_PID=""
cleanup() {
  [ -n "$SITE_PID" ] && kill "$SITE_PID" 2>/dev/null && wait "$SITE_PID" 2>/dev/null || true
  stop_cluster "$WORK/pg"
  as_root rm -rf "$WORK"
}
trap cleanup EXIT

PSQL() { "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
cs() { echo "Host=127.0.0.1;Port=$PG_PORT;Database=$1;Username=postgres;Maximum Pool Size=100"; }
hlb() { local db="$1"; shift; ConnectionStrings__Default="$(cs "$db")" dotnet "$APP/HocLamTheoBac.Web.dll" "$@"; }
now_ms() { date +%s%3N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "nan"} else if (NR%2) {print a[(NR+1)/2]} else {printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}}'; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
calc() { awk "BEGIN {printf \"%.${2:-1}f\", $1}"; }
le() { awk "BEGIN {exit !($1 <= $2)}"; }
ge() { awk "BEGIN {exit !($1 >= $2)}"; }
vn() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/.&/;ta'; }

# ---------------------------------------------------------------- cluster and build
log "starting a tuned PostgreSQL cluster on 127.0.0.1:$PG_PORT"
start_cluster "$WORK/pg" "$PG_PORT"
for s in "shared_buffers='1GB'" "work_mem='64MB'" "maintenance_work_mem='512MB'" "effective_cache_size='4GB'" \
         "max_wal_size='8GB'" "checkpoint_timeout='30min'" "random_page_cost=1.1" "jit=off" "max_connections=200"; do
  PSQL -d postgres -c "ALTER SYSTEM SET $s"
done
as_root runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -w -t 60 -l "$WORK/pg/postgres.log" \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg" restart >/dev/null
publish_app "$APP"

ROWS=()   # table rows: measure|median|baseline|ratio|target|verdict
row() { ROWS+=("$1|$2|$3|$4|$5|$6"); printf '  %-58s %12s  %-26s %-8s %-22s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" >&2; }

# ---------------------------------------------------------------- 1. build and load 320.000 members
log "1. building and loading $MEMBERS members, one year ($RUNS runs)"
TABLES="org_units org_placements members member_branch_periods plan_years topics model_quotas pledges collective_pledges models commendations study_sessions attendances pressing_problems"
: >"$WORK/build" ; : >"$WORK/load" ; : >"$WORK/wall" ; : >"$WORK/copy"
for i in $(seq 1 "$RUNS"); do
  PSQL -d postgres -c "CREATE DATABASE p$i"
  hlb "p$i" migrate >/dev/null
  t0=$(now_ms)
  line="$(hlb "p$i" seed synthetic --members "$MEMBERS" --years 1 --seed 1 --to $YEAR | grep '^synthetic')"
  echo $(( $(now_ms) - t0 )) >>"$WORK/wall"
  echo "$line" | field build_ms >>"$WORK/build"
  echo "$line" | field load_ms >>"$WORK/load"
  PLEDGES="$(echo "$line" | field pledges)"; UNITS="$(echo "$line" | field units)"; ALLROWS="$(echo "$line" | field rows)"
  if [ "$i" -gt 1 ]; then PSQL -d postgres -c "DROP DATABASE p$i"; fi
done
# The same rows through psql's \copy into a fresh migrated database, same settings (one transaction, triggers off).
mkdir -p "$WORK/dump"; chmod 777 "$WORK/dump"
for t in $TABLES; do PSQL -d p1 -c "\\copy $t TO '$WORK/dump/$t.bin' WITH (FORMAT binary)"; done
{ echo "BEGIN;"; echo "SET LOCAL session_replication_role = replica;"
  for t in $TABLES; do echo "\\copy $t FROM '$WORK/dump/$t.bin' WITH (FORMAT binary)"; done; echo "COMMIT;"; } >"$WORK/copy.sql"
for i in $(seq 1 "$RUNS"); do
  PSQL -d postgres -c "CREATE DATABASE c$i"
  hlb "c$i" migrate >/dev/null
  t0=$(now_ms); PSQL -d "c$i" -f "$WORK/copy.sql"; echo $(( $(now_ms) - t0 )) >>"$WORK/copy"
  PSQL -d postgres -c "DROP DATABASE c$i"
done
rm -rf "$WORK/dump"
build=$(median <"$WORK/build"); load=$(median <"$WORK/load"); wall=$(median <"$WORK/wall"); copy=$(median <"$WORK/copy")
bl=$(calc "($build + $load) / 1000"); r=$(calc "$load / $copy" 2)
row "1. build + load $(vn "$MEMBERS") members, 1 year ($ALLROWS rows)" "${bl} s" "process wall $(calc "$wall/1000") s" "" "≤ 30 s" "$(le "$bl" 30 && echo met || echo MISSED)"
row "1. loading alone (binary COPY) vs psql \\copy of the same rows" "$(calc "$load/1000") s" "\\copy $(calc "$copy/1000") s" "$r" "ratio ≤ 1,5" "$(le "$r" 1.5 && echo met || echo MISSED)"

# ---------------------------------------------------------------- 2. roll-up
log "2. roll-up of every unit, year $YEAR"
rl="$(hlb p1 bench-rollup --org SYN --year $YEAR --runs $((RUNS * 3)))"
base320=$(echo "$rl" | field baseline_ms); app320=$(echo "$rl" | field app_ms)
if [ "$app320" = pending ]; then
  row "2. roll-up of all $UNITS units ($PLEDGES pledges), warm" "pending merge" "hand SQL $base320 ms" "–" "ratio ≤ 1,5; ≤ 500 ms" "pending (issue 6)"
else
  r=$(calc "$app320 / $base320" 2)
  row "2. roll-up of all $UNITS units ($PLEDGES pledges), warm" "$app320 ms" "hand SQL $base320 ms" "$r" "ratio ≤ 1,5; ≤ 500 ms" "$(le "$r" 1.5 && le "$app320" 500 && echo met || echo MISSED)"
fi
row "2b. hand-written SQL roll-up alone (reference ≈150 ms)" "$base320 ms" "" "" "≤ 500 ms" "$(le "$base320" 500 && echo met || echo MISSED)"

# ---------------------------------------------------------------- 3. PDFs (hook)
# HOOK (issue 6, pending merge): time the province report with the annex and a branch report here,
# e.g. with a hidden verb `hlb bench-pdf --org SYN --year 2025 --runs N` printing pdf_ms=…
row "3. province report PDF with annex / branch report PDF" "pending merge" "" "" "≤ 1 s / ≤ 150 ms" "pending (issue 6)"

# ---------------------------------------------------------------- site under load
log "starting the site on 127.0.0.1:$SITE_PORT"
hlb p1 users add --email bench@hlb.local --role admin --org SYN --password "$PASSWORD" --name "Đo hiệu năng" >/dev/null
ROOT_ID=$(PSQL -d p1 -c "SELECT id FROM org_units WHERE code = 'SYN'")
read -r BRANCH_ID MEMBER_ID < <(PSQL -F ' ' -d p1 -c "
  WITH s AS (SELECT branch_id, count(*) n FROM members GROUP BY branch_id),
       m AS (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) AS n FROM s)
  SELECT s.branch_id, (SELECT min(id) FROM members WHERE branch_id = s.branch_id) FROM s, m WHERE s.n = m.n ORDER BY s.branch_id LIMIT 1")
expand() { echo "$1" | sed "s/{branch}/$BRANCH_ID/g; s/{member}/$MEMBER_ID/g; s/{org}/$ROOT_ID/g"; }
(cd "$APP" && ConnectionStrings__Default="$(cs p1)" ASPNETCORE_URLS="http://127.0.0.1:$SITE_PORT" Logging__File="" \
   Serilog__MinimumLevel__Default=Warning Database__MigrateOnStartup=false Database__SeedDemoIfEmpty=false \
   exec dotnet HocLamTheoBac.Web.dll >"$WORK/site.log" 2>&1) &
SITE_PID=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$SITE_PORT/healthz" >/dev/null && break; sleep 1; done
BASE="http://127.0.0.1:$SITE_PORT"
JAR="$WORK/cookies"
token="$(curl -fs -c "$JAR" -b "$JAR" "$BASE/Account/Login" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//; s/"$//')"
code="$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "Input.Email=bench@hlb.local" \
  --data-urlencode "Input.Password=$PASSWORD" --data-urlencode "__RequestVerificationToken=$token" "$BASE/Account/Login")"
[ "$code" = 302 ] || { echo "sign-in for the load test failed ($code)" >&2; exit 1; }
COOKIE="$(awk 'NF == 7 { sub(/^#HttpOnly_/, "", $1); printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$JAR")"

# load URL LABEL : runs wrk $RUNS times (2 threads, 32 connections, 15 s), leaves medians in RPS, P99, ERR.
load() {
  local url="$1" status; : >"$WORK/rps"; : >"$WORK/p99"; : >"$WORK/err"
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$url")"
  for _ in $(seq 1 "$RUNS"); do
    wrk -t2 -c32 -d15s --latency -H "Cookie: $COOKIE" "$BASE$url" >"$WORK/wrk.out" 2>&1 || true
    sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk.out" >>"$WORK/rps"
    awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }' "$WORK/wrk.out" >>"$WORK/p99"
    { sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$WORK/wrk.out"; sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$WORK/wrk.out"; } \
      | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s + 0 }' >>"$WORK/err"
  done
  RPS=$(median <"$WORK/rps"); P99=$(median <"$WORK/p99"); ERR=$(awk '{s += $1} END {print s + 0}' "$WORK/err")
  [ "$status" = 200 ] || ERR="$ERR (HTTP $status)"
}

log "4. load: /healthz and the grid URL ($GRID_URL), wrk 2 threads, 32 connections, 15 s, $RUNS runs each"
curl -s -o /dev/null -H "Cookie: $COOKIE" "$BASE$(expand "$GRID_URL")"   # warm-up (JIT, first queries)
wrk -t2 -c32 -d5s -H "Cookie: $COOKIE" "$BASE$(expand "$GRID_URL")" >/dev/null 2>&1 || true
load /healthz; H_RPS=$RPS; H_P99=$P99
load "$(expand "$GRID_URL")"
grid_label="branch grid"; [ "$GRID_URL" = / ] && grid_label="home page / (stand-in for the branch grid, pending merge)"
r=$(calc "$RPS / $H_RPS" 2)
row "4. $grid_label, signed in" "$RPS req/s, p99 $P99 ms" "/healthz $H_RPS req/s, p99 $H_P99 ms" "$r" "≥ 1.000 req/s, p99 ≤ 100 ms, 0 errors" \
  "$(ge "$RPS" 1000 && le "$P99" 100 && [ "$ERR" = 0 ] && echo met || echo "MISSED (errors: $ERR)")"
for pair in "member's page|$MEMBER_URL" "province dashboard|$DASHBOARD_URL"; do
  label="${pair%%|*}"; url="${pair#*|}"
  if [ -z "$url" ]; then row "5. $label under the same load" "pending merge" "" "" "p99 ≤ 150 ms" "pending (issues 4/6)"; continue; fi
  load "$(expand "$url")"
  row "5. $label under the same load" "$RPS req/s, p99 $P99 ms" "/healthz p99 $H_P99 ms" "$(calc "$P99 / $H_P99" 2)" "p99 ≤ 150 ms" "$(le "$P99" 150 && [ "$ERR" = 0 ] && echo met || echo "MISSED (errors: $ERR)")"
done

# ---------------------------------------------------------------- 7. memory
hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$SITE_PID/status")
hwm=$(calc "$hwm_kb / 1024" 0)
row "7. site peak memory during the load tests (VmHWM)" "$hwm MB" "" "" "≤ 500 MB" "$(le "$hwm" 500 && echo met || echo MISSED)"
kill "$SITE_PID" 2>/dev/null; wait "$SITE_PID" 2>/dev/null || true; SITE_PID=""

# ---------------------------------------------------------------- 8. import (hook)
# HOOK (pending merge): when `hlb import members FILE --org CODE` exists, write a 10.000-row file here
# (e.g. generated from the synthetic members of one branch) and time the import $RUNS times.
row "8. importing a 10.000-row member file" "pending merge" "" "" "≤ 10 s" "pending (import verb)"

# ---------------------------------------------------------------- 6. growth
log "6. growth: $GROWTH_MEMBERS members"
PSQL -d postgres -c "CREATE DATABASE g1"
hlb g1 migrate >/dev/null
gline="$(hlb g1 seed synthetic --members "$GROWTH_MEMBERS" --years 1 --seed 1 --to $YEAR | grep '^synthetic')"
gpledges=$(echo "$gline" | field pledges); gunits=$(echo "$gline" | field units)
gbl=$(calc "($(echo "$gline" | field build_ms) + $(echo "$gline" | field load_ms)) / 1000")
PSQL -d postgres -c "DROP DATABASE p1"   # the 320.000 figure was taken above; keep the cache for the big one
base1m=$(hlb g1 bench-rollup --org SYN --year $YEAR --runs $((RUNS * 3)) | field baseline_ms)
r=$(calc "$base1m / $base320" 2)
per_m=$(calc "($base1m - $base320) / ($GROWTH_MEMBERS - $MEMBERS) * 1000000" 1)
proj=$(calc "$base1m + $per_m * (5500000 - $GROWTH_MEMBERS) / 1000000" 0)
row "6. roll-up (hand SQL) at $(vn "$GROWTH_MEMBERS") vs $(vn "$MEMBERS") members ($gunits units, $gpledges pledges)" "$base1m ms" "$base320 ms" "$r" "ratio ≤ 3,5" "$(le "$r" 3.5 && echo met || echo MISSED)"
row "6b. build + load $(vn "$GROWTH_MEMBERS") members (one run)" "$gbl s" "" "" "(information)" ""
PROJECTION="Linear projection from the two points: about $per_m ms per million members, so one roll-up over a single 5,5-million-member tree would take about $proj ms. A national deployment never rolls up the whole Party in one request (see docs/adr/0005-scaling-plan.md)."

# ---------------------------------------------------------------- write docs/benchmarks.md
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
mem="$(awk '/^MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`scripts/bench.sh\` (never part of the test suite). Each figure is the median of $RUNS runs"
  echo "(roll-ups: $((RUNS * 3)) warm runs) and is set against a baseline measured in the same run."
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) cores ($cpu), $mem memory; PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}'), .NET $(dotnet --version)"
  echo "- PostgreSQL: private cluster, fsync on, shared_buffers 1GB, work_mem 64MB, jit off (see the script)"
  echo "- Province: \`hlb seed synthetic --members $MEMBERS --years 1 --seed 1\` ($UNITS units, $PLEDGES pledges, $ALLROWS rows)"
  echo
  echo "| measure | median | baseline (same run) | ratio | target | result |"
  echo "|---|---|---|---|---|---|"
  for r in "${ROWS[@]}"; do IFS='|' read -r a b c d e f <<<"$r"; echo "| $a | $b | $c | $d | $e | $f |"; done
  echo
  echo "$PROJECTION"
  echo
  echo "\"pending\" rows are hooks for pages and verbs built in other issues; see the comments marked HOOK in"
  echo "\`scripts/bench.sh\` and \`src/HocLamTheoBac.Web/Cli/BenchRollupVerb.cs\`. Notes on missed targets are in"
  echo "docs/performance.md."
} >"$OUT"
log "results written to $OUT"
cat "$OUT"
