#!/usr/bin/env bash
# The two-instance check (a test, not a benchmark): a throwaway PostgreSQL, two published site
# instances on 127.0.0.1 behind nginx (round robin, loopback only). Signs in through one instance and
# continues through the other: a page that needs sign-in and a form post whose antiforgery token was
# issued by the other instance. Exits non-zero on any failure.
source "$(dirname "$0")/lib/common.sh"
source "$ROOT/scripts/lib/instances.sh"
ensure_dotnet
ensure_postgres
command -v nginx >/dev/null || apt_install nginx-light
apt_install curl

PG_PORT="$(free_port "${HLB_TWO_PG_PORT:-56100}")"; PORT_A="$(free_port "${HLB_TWO_SITE_PORT:-5110}")"; PORT_B="$(free_port $(( PORT_A + 1 )))"; LB_PORT="$(free_port $(( PORT_B + 1 )))"
WORK="$(mktemp -d /tmp/hlb-two.XXXXXX)"; chmod 755 "$WORK"
APP="$ROOT/.data/two-app"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  stop_cluster "$WORK/pg"; as_root rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "ĐÃ HỎNG: $*" >&2; exit 1; }

start_cluster "$WORK/pg" "$PG_PORT" throwaway
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres hlb
publish_app "$APP"
CS="Host=127.0.0.1;Port=$PG_PORT;Database=hlb;Username=postgres"

log "instance A on 127.0.0.1:$PORT_A (migrates and seeds the demo data), instance B on 127.0.0.1:$PORT_B"
start_site "$PORT_A" "$CS" Database__MigrateOnStartup=true Database__SeedDemoIfEmpty=true || fail "instance A"
start_site "$PORT_B" "$CS" || fail "instance B"

start_nginx "$LB_PORT" "$PORT_A" "$PORT_B" || fail "nginx"
log "nginx on 127.0.0.1:$LB_PORT, round robin over both"

LB="http://127.0.0.1:$LB_PORT"; JAR="$WORK/jar"
# req METHOD URL [curl args…] : body to $WORK/body, prints "STATUS UPSTREAM"
req() {
  local m="$1" u="$2"; shift 2
  curl -s -X "$m" -o "$WORK/body" -D "$WORK/headers" -c "$JAR" -b "$JAR" "$@" "$LB$u" >/dev/null
  echo "$(awk 'NR == 1 {print $2}' "$WORK/headers") $(tr -d '\r' <"$WORK/headers" | sed -n 's/^[Xx]-[Uu]pstream: //p')"
}
token() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$WORK/body" | head -n 1 | sed 's/.*value="//; s/"$//'; }

read -r s up_form < <(req GET /Account/Login); [ "$s" = 200 ] || fail "login page: $s"
t="$(token)"
read -r s up_login < <(req POST /Account/Login --data-urlencode "Input.Email=bithu@hlb.local" \
  --data-urlencode "Input.Password=HocLamTheoBac2025" --data-urlencode "__RequestVerificationToken=$t")
[ "$s" = 302 ] || fail "sign-in through $up_login answered $s"
echo "  signed in: form from $up_form, posted to $up_login"

seen=""
for _ in 1 2 3 4; do
  read -r s up < <(req GET /)
  [ "$s" = 200 ] || fail "the home page after sign-in answered $s on $up"
  grep -q "Chi bộ Tổ dân phố 1" "$WORK/body" || fail "the home page on $up does not show the user's branch"
  case " $seen " in *" $up "*) ;; *) seen="$seen $up";; esac
done
[ "$(echo $seen | wc -w)" = 2 ] || fail "signed-in pages were served by only one instance:$seen"
echo "  signed-in page served by both instances:$seen"

# A form post whose token was issued by the other instance (round robin alternates; retry until they differ).
for _ in 1 2 3 4; do
  read -r s up_page < <(req GET /); t="$(token)"
  [ -n "$t" ] || fail "no antiforgery token on the home page"
  read -r s up_post < <(req POST /Account/Logout --data-urlencode "__RequestVerificationToken=$t")
  if [ "$up_page" != "$up_post" ]; then break; fi
  [ "$s" = 302 ] || fail "logout on the same instance answered $s"
  read -r s _ < <(req GET /Account/Login); t="$(token)"
  req POST /Account/Login --data-urlencode "Input.Email=bithu@hlb.local" --data-urlencode "Input.Password=HocLamTheoBac2025" \
    --data-urlencode "__RequestVerificationToken=$t" >/dev/null
done
[ "$up_page" != "$up_post" ] || fail "could not post across instances"
[ "$s" = 302 ] || fail "form post with a token from $up_page answered $s on $up_post"
grep -qi '^location: .*/Account/Login' "$WORK/headers" || fail "logout did not return to the login page"
grep -qi '^set-cookie: hlb.auth=;' "$WORK/headers" || fail "logout did not clear the sign-in cookie"
echo "  form post: token from $up_page accepted by $up_post"
rows="$("$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc 'SELECT count(*) FROM data_protection_keys' hlb)"
[ "$rows" -ge 1 ] || fail "no data-protection key in PostgreSQL"
echo "two instances: OK ($rows data-protection key(s) in PostgreSQL)"
