# Shared by run.sh, test.sh, hlb and bench.sh: install what is missing, manage a private
# PostgreSQL cluster, build the site. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG_VERSION="${PG_VERSION:-15}"

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() {
  local d
  for d in /usr/lib/postgresql/"$PG_VERSION"/bin /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

APT_UPDATED=""
apt_install() {
  # apt_install PACKAGE… : installs the Debian packages that are not installed yet.
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (Debian packages)"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq >&2; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

ensure_postgres() {
  pg_bin >/dev/null 2>&1 || apt_install postgresql
  PGBIN="$(pg_bin)"
  export PGBIN
}

# new_secret FILE : prints the secret kept in FILE, generating it (mode 0600, folder 0700, owned by
# the user running the script) the first time.
new_secret() {
  local file="$1" folder
  folder="$(dirname "$file")"
  if [ ! -d "$folder" ]; then
    as_root install -d -m 0700 -o "$(id -u)" -g "$(id -g)" "$folder"
  fi
  if [ ! -s "$file" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$file")
  fi
  chmod 0600 "$file"
  cat "$file"
}

# start_cluster DIR PORT [throwaway] : creates (once) and starts a cluster owned by postgres, bound to
# 127.0.0.1 only, with its socket inside DIR. Every connection needs a password (scram-sha-256): the
# superuser's is generated into SECRETS/postgres.password (SECRETS defaults to DIR/../secrets, 0700).
# A throwaway cluster (tests) trusts local connections and is deleted after the run.
start_cluster() {
  local dir="$1" port="$2" kind="${3:-}"
  local secrets="${HLB_SECRETS:-$(dirname "$dir")/secrets}"
  ensure_postgres
  as_root mkdir -p "$dir"
  as_root chown postgres:postgres "$dir"
  as_root chmod 0700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $dir/data"
    if [ "$kind" = throwaway ]; then
      as_root runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=trust \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    else
      new_secret "$secrets/postgres.password" | as_root runuser -u postgres -- sh -c "umask 077; cat >'$dir/.pwfile'"
      as_root runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
        --pwfile="$dir/.pwfile" --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      as_root rm -f "$dir/.pwfile"
    fi
  fi
  local opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
  if [ "$kind" = throwaway ]; then opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"; fi
  if ! as_root runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_root runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgres.log" -o "$opts" start >/dev/null
  fi
  "$PGBIN/pg_isready" -h 127.0.0.1 -p "$port" -U postgres -q
  if [ "$kind" != throwaway ] && as_root grep -Eq '^[^#].*[[:space:]]trust([[:space:]]|$)' "$dir/data/pg_hba.conf"; then
    # A cluster created before passwords (trust for everyone): give the superuser a password, then require one.
    log "securing the PostgreSQL cluster in $dir/data (scram-sha-256 for every connection)"
    local pw
    pw="$(new_secret "$secrets/postgres.password")"
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres >/dev/null <<SQL
SET password_encryption = 'scram-sha-256';
ALTER ROLE postgres PASSWORD '$pw';
SQL
    as_root sed -i -E 's/^([^#].*[[:space:]])trust([[:space:]]|$)/\1scram-sha-256\2/' "$dir/data/pg_hba.conf"
    as_root runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" reload >/dev/null
  fi
}

stop_cluster() {
  local dir="$1"
  ensure_postgres
  [ -f "$dir/data/PG_VERSION" ] || return 0
  as_root runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -w -m fast stop >/dev/null 2>&1 || true
}

ensure_dotnet() {
  command -v dotnet >/dev/null || { echo "Cần cài .NET SDK 10 (dotnet) trước." >&2; exit 1; }
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# publish_app OUT : publishes the site when any source changed since the last publish.
publish_app() {
  local out="$1" stamp="$1/.published"
  ensure_dotnet
  if [ -f "$stamp" ] && [ -z "$(find "$ROOT/src" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" -newer "$stamp" -type f -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/node_modules/*' -print -quit)" ]; then
    return 0
  fi
  log "building the site (Release)"
  # For this machine's runtime, so that the csproj's ReadyToRun applies (ADR 0024: the command line's start-up).
  dotnet publish "$ROOT/src/HocLamTheoBac.Web/HocLamTheoBac.Web.csproj" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$out" --nologo -v quiet >&2
  touch "$stamp"
}

# publish_bench OUT : publishes the benchmark tool (tools/HocLamTheoBac.Bench: synthetic data, hidden bench verbs)
# when any source changed since the last publish. It carries the site's assembly with it.
publish_bench() {
  local out="$1" stamp="$1/.published"
  ensure_dotnet
  if [ -f "$stamp" ] && [ -z "$(find "$ROOT/src" "$ROOT/tools" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" -newer "$stamp" -type f -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/node_modules/*' -print -quit)" ]; then
    return 0
  fi
  log "building the benchmark tool (Release)"
  dotnet publish "$ROOT/tools/HocLamTheoBac.Bench/HocLamTheoBac.Bench.csproj" -c Release -o "$out" --nologo -v quiet >&2
  touch "$stamp"
}
