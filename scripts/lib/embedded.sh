# The embedded setup used by run.sh and hlb: a private cluster whose data survives restarts.
HLB_HOME="${HLB_HOME:-/var/lib/hoclamtheobac}"
HLB_PG_PORT="${HLB_PG_PORT:-5544}"
HLB_APP_DIR="${HLB_APP_DIR:-$ROOT/.data/app}"

use_embedded_database() {
  if [ -n "${ConnectionStrings__Default:-}" ]; then return 0; fi
  start_cluster "$HLB_HOME/pg" "$HLB_PG_PORT"
  if ! "$PGBIN/psql" -h 127.0.0.1 -p "$HLB_PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='hoclamtheobac'" | grep -q 1; then
    "$PGBIN/createdb" -h 127.0.0.1 -p "$HLB_PG_PORT" -U postgres hoclamtheobac
  fi
  export ConnectionStrings__Default="Host=127.0.0.1;Port=$HLB_PG_PORT;Database=hoclamtheobac;Username=postgres"
}
