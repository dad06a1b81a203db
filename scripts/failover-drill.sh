#!/usr/bin/env bash
# The failover drill (a scripted check, not part of scripts/test.sh: it takes minutes and kills processes).
#
#   scripts/failover-drill.sh [RUNS]        default 1; the issue's bar is 3 runs in a row
#
# Starts the loopback cluster of scripts/cluster.sh (same settings: HLB_HOME, ports) with reads from the
# standby allowed, then for each run: 20 writers add and approve pledges through nginx; the primary's
# pg_auto_failover keeper and PostgreSQL are killed with SIGKILL (the whole machine lost, as far as the
# database is concerned); measured: seconds until writes succeed again, answers 503, answers other than
# 2xx/302/503 (must be 0), acknowledged writes missing afterwards (must be 0). The old primary then rejoins as
# standby, and the same is done the other way round (failover back). Finally a report issued through the site
# is downloaded from the standby and compared byte for byte with the same report read from the primary.
# Prints one table row per failover and writes them to $HLB_HOME/run/drill-results.md. Exits non-zero on any failure.
source "$(dirname "$0")/lib/common.sh"
RUNS="${1:-1}"
export HLB_READ_FROM_STANDBY=true
HLB_HOME="${HLB_HOME:-/var/lib/hoclamtheobac-ha}"
PG="$HLB_HOME/pg"; WORK="$HLB_HOME/run"
read -r -a SITE_PORTS <<<"${HLB_SITE_PORTS:-5091 5092}"
LB="http://127.0.0.1:${HLB_LB_PORT:-5090}"
APP="${HLB_APP_DIR:-$ROOT/.data/ha-app}"
CLUSTER="$ROOT/scripts/cluster.sh"
WRITERS="${DRILL_WRITERS:-20}"
PASSWORD="DrillPassword2026"
fail() { echo "ĐÃ HỎNG: $*" >&2; exit 1; }

"$CLUSTER" start >/dev/null || fail "cluster did not start"
ensure_postgres
command -v python3 >/dev/null || apt_install python3
OWNER_CS="$("$CLUSTER" connection-string hlb_owner)"
hlb() { (cd "$APP" && ConnectionStrings__Default="$OWNER_CS" dotnet HocLamTheoBac.Web.dll "$@"); }
sql() { as_root runuser -u postgres -- "$PGBIN/psql" -X -h /var/run/postgresql -p "$1" -d hoclamtheobac -tAc "$2"; }

# One secretary account per writer, spread over the demo branches (created once).
branches=(TQ-TP-PT-TDP1 TQ-TP-PT-TDP2 TQ-TP-MX-TDP5 TQ-YS-THCS TQ-YS-UB-VP)
primary="$("$CLUSTER" primary-port)"
accounts="["
for i in $(seq 1 "$WRITERS"); do
  email="drill$(printf %02d "$i")@hlb.local"; code="${branches[$(( (i - 1) % ${#branches[@]} ))]}"
  if [ -z "$(sql "$primary" "SELECT 1 FROM users WHERE email = '$email'")" ]; then
    hlb users add --email "$email" --role secretary --org "$code" --password "$PASSWORD" --name "Bí thư thử tải $i" >/dev/null || fail "account $email"
  fi
  unit="$(sql "$primary" "SELECT id FROM org_units WHERE code = '$code'")"
  accounts="$accounts[\"$email\", \"$PASSWORD\", $unit],"
done
accounts="${accounts%,}]"

RESULTS="$WORK/drill-results.md"
: >"$RESULTS"
drill_once() { # RUN PHASE
  local run="$1" phase="$2" p node out t0 rejoin_s missing_adds missing_appr figures
  p="$("$CLUSTER" primary-port)"; [ -n "$p" ] || fail "no primary before the drill"
  node="$( [ "$p" = "${HLB_NODE1_PORT:-5551}" ] && echo node1 || echo node2 )"
  local lag="$( [ "$(id -u)" = 0 ] || echo sudo ) runuser -u postgres -- $PGBIN/psql -X -h /var/run/postgresql -p $p -d postgres -tAc \"SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)),0)::bigint || '|' || coalesce(extract(epoch FROM max(replay_lag)),0) FROM pg_stat_replication\""
  log "run $run, failover $phase: 20 writers, then SIGKILL of $node (primary on port $p)"
  out="$WORK/drill-$run-$phase.json"
  python3 "$ROOT/scripts/lib/failover_drill.py" "$LB" "r$run-f$phase-$(date +%s)" "$accounts" \
    "/bin/kill -KILL -- -\$(cat $PG/$node.pid)" "$lag" "${DRILL_WARMUP_S:-15}" "${DRILL_AFTER_S:-10}" >"$out" || fail "drill writers failed"
  t0=$(date +%s%N)
  "$CLUSTER" rejoin >/dev/null || fail "$node did not rejoin"
  rejoin_s="$(( ($(date +%s%N) - t0) / 1000000 ))"; rejoin_s="$(( rejoin_s / 1000 )).$(( rejoin_s % 1000 / 100 ))"
  # Every acknowledged write on the new primary: the pledge exists, and approved when its approval was acknowledged.
  p="$("$CLUSTER" primary-port)"
  read -r missing_adds missing_appr figures < <(python3 - "$out" "$p" <<'PY'
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
rows = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-h", "/var/run/postgresql", "-p", sys.argv[2], "-d", "hoclamtheobac", "-tA", "-F", "|",
    "-c", "SELECT content, status FROM pledges WHERE content LIKE 'drill-%' AND deleted_at IS NULL"], capture_output=True, text=True, check=True).stdout
have = dict(line.split("|") for line in rows.splitlines() if line)
missing_adds = sum(1 for m in d["acked_adds"] if m not in have)
missing_appr = sum(1 for m in d["acked_approvals"] if have.get(m) != "3")  # 3 = PledgeStatus.Approved
print(missing_adds, missing_appr, json.dumps({k: v for k, v in d.items() if not k.startswith("acked")}, separators=(",", ":")))
PY
)
  echo "$figures" | python3 -c "
import json,sys
d=json.loads(sys.stdin.read())
print(f\"| $run.$phase | {d['seconds_until_writes_succeed']} s | {d['answered_503']} | {d['other_non_2xx']} | $missing_adds + $missing_appr | {len(json.load(open('$out'))['acked_adds'])} + {len(json.load(open('$out'))['acked_approvals'])} | {d['writes_per_s_before_kill']} | {d['lag_replay_s_median']} / {d['lag_replay_s_max']} s, {d['lag_bytes_max']} B | $rejoin_s s |\")
" | tee -a "$RESULTS"
  local other secs
  other="$(echo "$figures" | python3 -c 'import json,sys; print(json.load(sys.stdin)["other_non_2xx"])')"
  secs="$(echo "$figures" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds_until_writes_succeed"])')"
  [ "$secs" != None ] || fail "writes did not succeed again within 180 s"
  [ "$other" = 0 ] || fail "answers other than 2xx/302/503: $figures"
  [ "$missing_adds" = 0 ] && [ "$missing_appr" = 0 ] || fail "acknowledged writes missing: $missing_adds adds, $missing_appr approvals"
}

# The report check: issued through the site (as committee staff), downloaded through an instance that reads from
# the standby (the X-Data-As-Of header says so), compared with the same issued report read from the primary.
report_check() {
  local year unit code=TQ-TP-PT jar="$WORK/staff.jar" t n p s
  year="$(date +%Y)"; unit="$(sql "$("$CLUSTER" primary-port)" "SELECT id FROM org_units WHERE code = '$code'")"
  rm -f "$jar"
  t="$(curl -s -c "$jar" -b "$jar" "$LB/Account/Login" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//; s/"$//')"
  s="$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "Input.Email=tuyengiao@hlb.local" \
    --data-urlencode "Input.Password=HocLamTheoBac2025" --data-urlencode "__RequestVerificationToken=$t" "$LB/Account/Login")"
  [ "$s" = 302 ] || fail "staff sign-in answered $s"
  t="$(curl -s -c "$jar" -b "$jar" "$LB/Reports/Draft/$unit/$year" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')"
  s="$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "__RequestVerificationToken=$t" \
    --data-urlencode "Input.SignerName=Nguyễn Văn Thử" --data-urlencode "Input.Version=0" "$LB/Reports/Draft/$unit/$year?handler=Issue")"
  [ "$s" = 302 ] || fail "issuing the report answered $s"
  p="$("$CLUSTER" primary-port)"
  n="$(sql "$p" "SELECT max(number) FROM reports WHERE org_unit_id = $unit AND year = $year AND status = 2")"
  [ -n "$n" ] || fail "no issued report"
  # Caught up: the standby has replayed everything the primary has written.
  local lsn sb
  lsn="$(sql "$p" "SELECT pg_current_wal_lsn()")"
  sb="$( [ "$p" = "${HLB_NODE1_PORT:-5551}" ] && echo "${HLB_NODE2_PORT:-5552}" || echo "${HLB_NODE1_PORT:-5551}")"
  for _ in $(seq 1 100); do [ "$(sql "$sb" "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && break; sleep 0.1; done
  curl -s -D "$WORK/report.headers" -o "$WORK/report-standby.pdf" -b "$jar" "http://127.0.0.1:${SITE_PORTS[0]}/Reports/Download/$unit/$year/pdf?number=$n"
  grep -qi '^x-data-as-of:' "$WORK/report.headers" || fail "the download did not come from a standby (no X-Data-As-Of)"
  hlb report --org "$code" --year "$year" --format pdf --issued "$n" --out "$WORK/report-primary.pdf" >/dev/null || fail "hlb report"
  local a b
  a="$(sha256sum <"$WORK/report-standby.pdf" | cut -c1-64)"; b="$(sha256sum <"$WORK/report-primary.pdf" | cut -c1-64)"
  [ "$a" = "$b" ] || fail "issued report $n differs: standby $a, primary $b"
  echo "report check: issued report $code/$year no. $n, $(stat -c %s "$WORK/report-standby.pdf") bytes, SHA-256 $a from the standby = from the primary" | tee -a "$RESULTS"
}

echo "| run.failover | writes succeed again after | answered 503 | other non-2xx | acknowledged writes missing (adds + approvals) | acknowledged (adds + approvals) | acknowledged writes/s before the kill | replication lag before the kill (replay median / max, max bytes) | old primary back as standby |" | tee -a "$RESULTS"
echo "|---|---|---|---|---|---|---|---|---|" | tee -a "$RESULTS"
for run in $(seq 1 "$RUNS"); do
  drill_once "$run" 1
  drill_once "$run" 2
done
report_check
log "failover drill: $RUNS run(s), $(( RUNS * 2 )) failovers, all passed (table in $RESULTS)"
