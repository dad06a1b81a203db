#!/usr/bin/env bash
# A highly available shape on one machine's loopback: a pg_auto_failover monitor, a PostgreSQL primary
# and a synchronous standby (streaming replication managed by pg_auto_failover), two published site
# instances with a multi-host connection string, and nginx in front of both.
#
#   scripts/cluster.sh start     create (first time) and start everything; prints the addresses
#   scripts/cluster.sh stop      stop everything (data kept in $HLB_HOME)
#   scripts/cluster.sh status    the formation's state (pg_autoctl show state) and the processes
#   scripts/cluster.sh destroy   stop and delete $HLB_HOME
#
# Settings (environment): HLB_HOME (default /var/lib/hoclamtheobac-ha), HLB_MONITOR_PORT (5550),
# HLB_NODE1_PORT (5551), HLB_NODE2_PORT (5552), HLB_SITE_PORTS ("5091 5092"), HLB_LB_PORT (5090),
# HLB_READ_FROM_STANDBY (false: dashboards, drafts and report downloads read from a standby when true).
# Password authentication (scram-sha-256) everywhere; the passwords are generated on first start into
# $HLB_HOME/secrets (root only) and $HLB_HOME/pg/pgpass (the postgres user's, for replication).
source "$(dirname "$0")/lib/common.sh"
source "$ROOT/scripts/lib/instances.sh"

HLB_HOME="${HLB_HOME:-/var/lib/hoclamtheobac-ha}"
MONITOR_PORT="${HLB_MONITOR_PORT:-5550}"
NODE_PORTS=("${HLB_NODE1_PORT:-5551}" "${HLB_NODE2_PORT:-5552}")
read -r -a SITE_PORTS <<<"${HLB_SITE_PORTS:-5091 5092}"
LB_PORT="${HLB_LB_PORT:-5090}"
READ_FROM_STANDBY="${HLB_READ_FROM_STANDBY:-false}"
DB=hoclamtheobac
PG="$HLB_HOME/pg"            # owned by postgres: monitor/, node1/, node2/, pg_autoctl's config, pgpass, logs
WORK="$HLB_HOME/run"         # owned by root: site logs, nginx, pid files
APP="${HLB_APP_DIR:-$ROOT/.data/ha-app}"
PIDS=()

# Failure detection on loopback, in milliseconds (pg_auto_failover's defaults are 5 s checks and a 20 s
# unhealthy timeout, sized for real networks). Synchronous replication makes a short timeout safe: a primary
# cut off from its standby cannot acknowledge a commit, so a second primary never holds writes the first lost.
HEALTH_CHECK_PERIOD_MS="${HLB_HEALTH_CHECK_PERIOD_MS:-1000}"
UNHEALTHY_TIMEOUT_MS="${HLB_UNHEALTHY_TIMEOUT_MS:-3000}"
DEMOTE_TIMEOUT_MS="${HLB_DEMOTE_TIMEOUT_MS:-5000}"

as_pg() { as_root runuser -u postgres -- env XDG_CONFIG_HOME="$PG/config" XDG_DATA_HOME="$PG/share" PGPASSFILE="$PG/pgpass" \
  PATH="$PGBIN:/usr/bin:/bin" "$@"; }
autoctl() { as_pg pg_autoctl "$@"; }
psql_local() { local port="$1"; shift; as_pg psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$port" "$@"; }
secret() { sed -n "s/^$1=//p" "$HLB_HOME/secrets"; }
monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"; }

# The site's connection strings: both nodes, writes on whichever is primary now. Host Recheck Seconds is low so
# that a standby promoted a moment ago is seen as the primary within a second, not after Npgsql's default 10 s.
connection_string() { # ROLE
  echo "Host=127.0.0.1:${NODE_PORTS[0]},127.0.0.1:${NODE_PORTS[1]};Database=$DB;Username=$1;Password=$(secret "$1");Target Session Attributes=primary;Host Recheck Seconds=1;Timeout=5;Command Timeout=30;Maximum Pool Size=40"
}

install_packages() {
  ensure_postgres
  apt_install postgresql-15-auto-failover pg-auto-failover-cli nginx-light curl openssl
  command -v pg_autoctl >/dev/null || { echo "pg_autoctl is missing after installing pg-auto-failover-cli" >&2; exit 1; }
}

prepare_home() {
  as_root mkdir -p "$HLB_HOME" "$WORK" "$PG"
  as_root chmod 755 "$HLB_HOME"
  as_root chown postgres:postgres "$PG"; as_root chmod 700 "$PG"
  if [ ! -f "$HLB_HOME/secrets" ]; then
    local r
    r() { openssl rand -hex 18; }
    ( umask 077; printf 'autoctl_node=%s\npgautofailover_replicator=%s\npgautofailover_monitor=%s\nhlb_owner=%s\nhlb_site=%s\n' \
        "$(r)" "$(r)" "$(r)" "$(r)" "$(r)" >"$HLB_HOME/secrets" )
  fi
  # libpq of pg_autoctl, the walreceiver, pg_basebackup and pg_rewind find the passwords here.
  { for u in autoctl_node pgautofailover_replicator pgautofailover_monitor; do echo "*:*:*:$u:$(secret $u)"; done; } \
    | as_root runuser -u postgres -- sh -c "umask 077; cat >'$PG/pgpass'"
}

# start_keeper NAME : runs `pg_autoctl run` for a node in its own session (so that it can be killed as a group).
start_keeper() {
  local name="$1"
  if [ -f "$PG/$name.pid" ] && kill -0 "$(cat "$PG/$name.pid")" 2>/dev/null; then return 0; fi
  as_pg setsid sh -c "echo \$\$ >'$PG/$name.pid'; exec pg_autoctl run --pgdata '$PG/$name' >>'$PG/$name.log' 2>&1" </dev/null >/dev/null 2>&1 &
  local _
  for _ in $(seq 1 50); do [ -s "$PG/$name.pid" ] && return 0; sleep 0.1; done
}

wait_ready() { # PORT [seconds]
  local _
  for _ in $(seq 1 "${2:-60}"); do "$PGBIN/pg_isready" -q -h /var/run/postgresql -p "$1" && return 0; sleep 1; done
  echo "PostgreSQL on port $1 did not start; see $PG/*.log" >&2; return 1
}

# The rules pg_auto_failover leaves after initdb trust every local connection: replace them with password
# rules for exactly the roles that connect over TCP, and peer for the postgres user on the socket.
write_hba() { # PGDATA DB-LINE…
  local f="$1/pg_hba.conf"; shift
  { echo "# Written by scripts/cluster.sh: no trust; pg_autoctl appends its own scram rules below."
    echo "local all postgres peer"
    echo "local replication postgres peer"
    printf '%s\n' "$@"
  } | as_root runuser -u postgres -- sh -c "cat >'$f'"
}

create_monitor() {
  [ -f "$PG/monitor/PG_VERSION" ] && return 0
  log "creating the pg_auto_failover monitor (127.0.0.1:$MONITOR_PORT)"
  autoctl create monitor --pgdata "$PG/monitor" --pgport "$MONITOR_PORT" --hostname 127.0.0.1 --auth scram-sha-256 --no-ssl >>"$PG/create.log" 2>&1
  # pg_autoctl starts Postgres with -h from its own configuration (default '*'): loopback only.
  autoctl config set --pgdata "$PG/monitor" postgresql.listen_addresses 127.0.0.1 >/dev/null
  write_hba "$PG/monitor" \
    "local pg_auto_failover autoctl_node scram-sha-256" \
    "host pg_auto_failover autoctl_node 127.0.0.1/32 scram-sha-256"
  as_pg pg_ctl -D "$PG/monitor" -w -l "$PG/monitor-setup.log" -o "-p $MONITOR_PORT -c listen_addresses=127.0.0.1" start >/dev/null
  psql_local "$MONITOR_PORT" -d pg_auto_failover <<SQL
ALTER USER autoctl_node PASSWORD '$(secret autoctl_node)';
ALTER SYSTEM SET listen_addresses = '127.0.0.1';
ALTER SYSTEM SET pgautofailover.health_check_period = $HEALTH_CHECK_PERIOD_MS;
ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;
ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;
ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;
ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = $UNHEALTHY_TIMEOUT_MS;
ALTER SYSTEM SET pgautofailover.primary_demote_timeout = $DEMOTE_TIMEOUT_MS;
SQL
  as_pg pg_ctl -D "$PG/monitor" -w -m fast stop >/dev/null
}

node_hba=(
  "host replication pgautofailover_replicator 127.0.0.1/32 scram-sha-256"
  "host all pgautofailover_replicator 127.0.0.1/32 scram-sha-256"
  "host all pgautofailover_monitor 127.0.0.1/32 scram-sha-256"
  "host $DB hlb_owner,hlb_site 127.0.0.1/32 scram-sha-256"
)

create_node() { # INDEX (0 = first primary, 1 = standby)
  local name="node$(( $1 + 1 ))" port="${NODE_PORTS[$1]}"
  [ -f "$PG/$name/PG_VERSION" ] && return 0
  log "creating $name (127.0.0.1:$port)$([ "$1" = 1 ] && echo ': base backup of the primary, then synchronous standby')"
  autoctl create postgres --pgdata "$PG/$name" --pgport "$port" --pghost /var/run/postgresql --hostname 127.0.0.1 --listen 127.0.0.1 \
    --name "$name" --dbname "$DB" --auth scram-sha-256 --no-ssl --monitor "$(monitor_uri)" >>"$PG/create.log" 2>&1 \
    || { tail -n 30 "$PG/create.log" >&2; return 1; }
  # The standby's pg_hba.conf is the primary's (base backup), rewritten here again in case pg_autoctl added trust.
  write_hba "$PG/$name" "${node_hba[@]}"
}

setup_database() { # on the first primary, once, before the standby is made from it
  local port="${NODE_PORTS[0]}"
  psql_local "$port" -d postgres <<SQL
ALTER USER pgautofailover_replicator PASSWORD '$(secret pgautofailover_replicator)';
ALTER USER pgautofailover_monitor PASSWORD '$(secret pgautofailover_monitor)';
SELECT pg_reload_conf();
-- Owner: runs migrations and owns the schema. Site: the instances' role, no superuser, rows only.
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hlb_owner') THEN CREATE ROLE hlb_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hlb_site') THEN CREATE ROLE hlb_site LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; END IF;
END \$\$;
ALTER ROLE hlb_owner PASSWORD '$(secret hlb_owner)';
ALTER ROLE hlb_site PASSWORD '$(secret hlb_site)';
ALTER DATABASE $DB OWNER TO hlb_owner;
SQL
  psql_local "$port" -d "$DB" <<SQL
ALTER SCHEMA public OWNER TO hlb_owner;
GRANT CONNECT ON DATABASE $DB TO hlb_site;
GRANT USAGE ON SCHEMA public TO hlb_site;
ALTER DEFAULT PRIVILEGES FOR ROLE hlb_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hlb_site;
ALTER DEFAULT PRIVILEGES FOR ROLE hlb_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO hlb_site;
SQL
}

# primary_port : the port of the node that is primary now (nothing while there is none).
primary_port() {
  local p
  for p in "${NODE_PORTS[@]}"; do
    [ "$(as_pg psql -X -h /var/run/postgresql -p "$p" -d postgres -tAc 'SELECT NOT pg_is_in_recovery()' 2>/dev/null)" = t ] && { echo "$p"; return 0; }
  done
  return 0
}

# wait_formation SECONDS : until the monitor reports one primary and one secondary, both as assigned.
wait_formation() {
  local _ s
  for _ in $(seq 1 "$1"); do
    s="$(psql_local "$MONITOR_PORT" -d pg_auto_failover -tAc \
      "SELECT string_agg(reportedstate || '/' || goalstate, ' ' ORDER BY reportedstate) FROM pgautofailover.node" 2>/dev/null || true)"
    [ "$s" = "primary/primary secondary/secondary" ] && return 0
    sleep 1
  done
  echo "the formation did not reach primary + secondary within $1 s (now: ${s:-?}); see $PG/*.log" >&2; return 1
}

start_database() {
  install_packages
  prepare_home
  create_monitor
  start_keeper monitor
  wait_ready "$MONITOR_PORT"
  local fresh=""
  if [ ! -f "$PG/node1/PG_VERSION" ]; then
    fresh=1
    create_node 0
    start_keeper node1
    wait_ready "${NODE_PORTS[0]}"
    setup_database
  fi
  start_keeper node1
  if [ ! -f "$PG/node2/PG_VERSION" ]; then create_node 1; fi
  start_keeper node2
  wait_formation 120
  local _
  for _ in $(seq 1 60); do [ -n "$(primary_port)" ] && break; sleep 1; done
  [ -n "$(primary_port)" ] || { echo "no primary after 60 s; see $PG/*.log" >&2; return 1; }
  if [ -n "$fresh" ]; then
    publish_app "$APP"
    log "migrating and loading the demo data (as hlb_owner)"
    (cd "$APP" && ConnectionStrings__Default="$(connection_string hlb_owner)" dotnet HocLamTheoBac.Web.dll migrate >&2)
    (cd "$APP" && ConnectionStrings__Default="$(connection_string hlb_owner)" dotnet HocLamTheoBac.Web.dll seed demo >&2)
  fi
  # Synchronous: every commit waits until the standby has flushed it (pg_auto_failover sets the standby names).
  local sync
  sync="$(as_pg psql -X -h /var/run/postgresql -p "$(primary_port)" -d postgres -tAc "SELECT current_setting('synchronous_standby_names') || ' / ' || current_setting('synchronous_commit')")"
  log "replication: synchronous_standby_names = $sync"
}

start_sites() {
  publish_app "$APP"
  local cs p
  cs="$(connection_string hlb_site)"
  for p in "${SITE_PORTS[@]}"; do
    if [ -f "$WORK/site-$p.pid" ] && kill -0 "$(cat "$WORK/site-$p.pid")" 2>/dev/null; then continue; fi
    start_site "$p" "$cs" Database__ReadFromStandby="$READ_FROM_STANDBY" Logging__File="$WORK/site-$p-.log" || return 1
  done
  if ! { [ -f "$WORK/nginx/nginx.pid" ] && kill -0 "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null; }; then
    start_nginx "$LB_PORT" "${SITE_PORTS[@]}"
  fi
}

stop_all() {
  local f p
  if [ -f "$WORK/nginx/nginx.pid" ]; then kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; rm -f "$WORK/nginx/nginx.pid"; fi
  for f in "$WORK"/site-*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"
  done
  for n in node2 node1 monitor; do
    [ -f "$PG/$n/PG_VERSION" ] || continue
    autoctl stop --pgdata "$PG/$n" >/dev/null 2>&1 || true
  done
  for n in node2 node1 monitor; do
    [ -f "$PG/$n.pid" ] || continue
    p="$(cat "$PG/$n.pid")"
    for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$p" 2>/dev/null && as_root kill -TERM "$p" 2>/dev/null || true
    as_root rm -f "$PG/$n.pid"
  done
}

status() {
  if [ -f "$PG/monitor.pid" ] && kill -0 "$(cat "$PG/monitor.pid")" 2>/dev/null; then autoctl show state --pgdata "$PG/monitor" 2>&1 || true
  else echo "pg_auto_failover monitor: not running"; fi
  local p
  for p in "${SITE_PORTS[@]}"; do
    printf 'site 127.0.0.1:%s  healthz %s  readyz %s\n' "$p" \
      "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/healthz" || true)" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/readyz" || true)"
  done
  printf 'nginx 127.0.0.1:%s readyz %s\n' "$LB_PORT" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LB_PORT/readyz" || true)"
}

case "${1:-}" in
  start)
    ensure_dotnet
    start_database
    start_sites
    log "site: http://127.0.0.1:$LB_PORT (nginx over ${SITE_PORTS[*]}); primary on port $(primary_port)"
    status
    ;;
  stop) ensure_postgres; stop_all; log "stopped (data kept in $HLB_HOME)" ;;
  status) ensure_postgres; status ;;
  destroy) ensure_postgres; stop_all; as_root rm -rf "$HLB_HOME"; log "removed $HLB_HOME" ;;
  # Used by scripts/failover-drill.sh: restart the keepers that are not running (a killed node rejoins as standby).
  rejoin) ensure_postgres; start_keeper monitor; start_keeper node1; start_keeper node2; wait_formation 180 ;;
  connection-string) connection_string "${2:-hlb_site}" ;;
  primary-port) ensure_postgres; primary_port ;;
  *) echo "usage: scripts/cluster.sh start|stop|status|destroy" >&2; exit 2 ;;
esac
