# The embedded setup used by run.sh and hlb: a private cluster whose data survives restarts.
# Two database roles (docs/security.md, "Cơ sở dữ liệu nhúng và khóa"):
#   hlb_owner  owns the database and its schema; runs migrations, backup and restore
#   hlb_site   what the site uses at run time: reads and writes rows, no superuser, no CREATE, owns nothing;
#              audit rows it may only add (a trigger of the schema, ADR 0031)
# Passwords are generated into $HLB_HOME/secrets (0700; files 0600) and reach the site through a
# pgpass file named in the connection strings, never on a command line.
HLB_HOME="${HLB_HOME:-/var/lib/hoclamtheobac}"
HLB_PG_PORT="${HLB_PG_PORT:-5544}"
HLB_APP_DIR="${HLB_APP_DIR:-$ROOT/.data/app}"
HLB_DB="${HLB_DB:-hoclamtheobac}"

# private_dir DIR : a folder of the user running the script, mode 0700.
private_dir() {
  [ -d "$1" ] || as_root install -d -m 0700 -o "$(id -u)" -g "$(id -g)" "$1"
  as_root chown "$(id -u):$(id -g)" "$1"
  as_root chmod 0700 "$1"
}

use_embedded_database() {
  if [ -n "${ConnectionStrings__Default:-}" ]; then return 0; fi
  # Files the site writes (logs, evidence, keys, backups) are readable by its own account only.
  umask 077
  # Others may pass through (the postgres account reaches pg/), not list or read.
  [ -d "$HLB_HOME" ] || as_root install -d -m 0711 "$HLB_HOME"
  as_root chmod 0711 "$HLB_HOME"
  local secrets="$HLB_HOME/secrets"
  start_cluster "$HLB_HOME/pg" "$HLB_PG_PORT"
  local su_pw owner_pw site_pw
  su_pw="$(new_secret "$secrets/postgres.password")"
  owner_pw="$(new_secret "$secrets/hlb_owner.password")"
  site_pw="$(new_secret "$secrets/hlb_site.password")"
  local psql=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$HLB_PG_PORT" -U postgres)
  PGPASSWORD="$su_pw" "${psql[@]}" -d postgres >/dev/null <<SQL
SET password_encryption = 'scram-sha-256';
SELECT 'CREATE ROLE hlb_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hlb_owner') \gexec
SELECT 'CREATE ROLE hlb_site' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hlb_site') \gexec
ALTER ROLE hlb_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$owner_pw';
ALTER ROLE hlb_site WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD '$site_pw';
SELECT 'CREATE DATABASE $HLB_DB OWNER hlb_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$HLB_DB') \gexec
ALTER DATABASE $HLB_DB OWNER TO hlb_owner;
REVOKE ALL ON DATABASE $HLB_DB FROM PUBLIC;
-- TEMPORARY: the member import stages the file's rows in a temporary table (private to the session, dropped with it).
GRANT CONNECT, TEMPORARY ON DATABASE $HLB_DB TO hlb_site;
SQL
  PGPASSWORD="$su_pw" "${psql[@]}" -d "$HLB_DB" >/dev/null <<'SQL'
-- Objects made by the superuser before the roles existed (databases created by earlier versions) go to the owner.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> 'hlb_owner'
  LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO hlb_owner', CASE WHEN r.relkind IN ('v') THEN 'VIEW' WHEN r.relkind = 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.relname);
  END LOOP;
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> 'hlb_owner'
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER SEQUENCE public.%I OWNER TO hlb_owner', r.relname);
  END LOOP;
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE hlb_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hlb_site;
ALTER DEFAULT PRIVILEGES FOR ROLE hlb_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO hlb_site;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hlb_site;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO hlb_site;
SQL
  (umask 077; printf '127.0.0.1:%s:%s:hlb_owner:%s\n127.0.0.1:%s:%s:hlb_site:%s\n' \
    "$HLB_PG_PORT" "$HLB_DB" "$owner_pw" "$HLB_PG_PORT" "$HLB_DB" "$site_pw" >"$secrets/pgpass")
  chmod 0600 "$secrets/pgpass"
  private_dir "$HLB_HOME/keys"
  private_dir "$HLB_HOME/uploads"
  private_dir "$HLB_HOME/logs"
  local base="Host=127.0.0.1;Port=$HLB_PG_PORT;Database=$HLB_DB;Passfile=$secrets/pgpass"
  export ConnectionStrings__Default="$base;Username=hlb_site"
  export ConnectionStrings__Owner="$base;Username=hlb_owner"
  export DataProtection__CertificateFile="${DataProtection__CertificateFile:-$HLB_HOME/keys/data-protection.pfx}"
  export Storage__Uploads="${Storage__Uploads:-$HLB_HOME/uploads}"
  export Logging__File="${Logging__File:-$HLB_HOME/logs/hlb-.log}"
}
