#!/usr/bin/env bash
# One pg_auto_failover process per container (docker compose --profile ha): `pg-node.sh monitor`, `pg-node.sh primary`
# (the first data node: also creates the roles hlb_owner and hlb_site) or `pg-node.sh standby`. The same steps as
# scripts/cluster.sh on one machine: scram passwords everywhere (from the environment), no trust rules.
set -euo pipefail
role="$1"; export PGDATA=/var/lib/postgresql/data/pgdata PGPASSFILE=/var/lib/postgresql/data/pgpass
mkdir -p "$(dirname "$PGDATA")"
( umask 077; printf '*:*:*:autoctl_node:%s\n*:*:*:pgautofailover_replicator:%s\n*:*:*:pgautofailover_monitor:%s\n' \
    "$AUTOCTL_PASSWORD" "$REPLICATION_PASSWORD" "$MONITOR_PASSWORD" >"$PGPASSFILE" )
hba() { { echo "local all postgres peer"; echo "local replication postgres peer"; printf '%s\n' "$@"; } >"$PGDATA/pg_hba.conf"; }
sql() { psql -X -v ON_ERROR_STOP=1 -q "$@"; }
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  case "$role" in
    monitor)
      pg_autoctl create monitor --auth scram-sha-256 --ssl-self-signed --hostname "$(hostname)" --pgport 5432
      hba "local pg_auto_failover autoctl_node scram-sha-256" "hostssl pg_auto_failover autoctl_node 0.0.0.0/0 scram-sha-256"
      pg_ctl -w start >/dev/null
      sql -d pg_auto_failover -c "ALTER USER autoctl_node PASSWORD '$AUTOCTL_PASSWORD'"
      pg_ctl -w -m fast stop >/dev/null ;;
    primary|standby)
      pg_autoctl create postgres --auth scram-sha-256 --ssl-self-signed --hostname "$(hostname)" --pgport 5432 --name "$(hostname)" \
        --dbname hoclamtheobac --monitor "postgres://autoctl_node@monitor:5432/pg_auto_failover?sslmode=require"
      hba "hostssl replication pgautofailover_replicator 0.0.0.0/0 scram-sha-256" "hostssl all pgautofailover_replicator 0.0.0.0/0 scram-sha-256" \
          "hostssl all pgautofailover_monitor 0.0.0.0/0 scram-sha-256" "hostssl hoclamtheobac hlb_owner,hlb_site 0.0.0.0/0 scram-sha-256"
      if [ "$role" = primary ]; then
        pg_ctl -w start >/dev/null
        sql -d postgres <<SQL
ALTER USER pgautofailover_replicator PASSWORD '$REPLICATION_PASSWORD';
ALTER USER pgautofailover_monitor PASSWORD '$MONITOR_PASSWORD';
CREATE ROLE hlb_owner LOGIN PASSWORD '$OWNER_PASSWORD';
CREATE ROLE hlb_site LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$SITE_PASSWORD';
ALTER DATABASE hoclamtheobac OWNER TO hlb_owner;
SQL
        sql -d hoclamtheobac <<SQL
ALTER SCHEMA public OWNER TO hlb_owner;
GRANT USAGE ON SCHEMA public TO hlb_site;
ALTER DEFAULT PRIVILEGES FOR ROLE hlb_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hlb_site;
ALTER DEFAULT PRIVILEGES FOR ROLE hlb_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO hlb_site;
SQL
        pg_ctl -w -m fast stop >/dev/null
      fi ;;
    *) echo "usage: pg-node.sh monitor|primary|standby" >&2; exit 2 ;;
  esac
fi
exec pg_autoctl run
