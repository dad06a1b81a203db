# Published site instances on loopback and nginx in front of them (round robin), shared by
# two-instances.sh and cluster.sh. Sourced after common.sh. The caller sets WORK (a folder for logs and
# nginx files), APP (the published site) and an array PIDS to which started processes are added.

free_port() { local p; for p in $(seq "$1" $(( $1 + 200 ))); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }

# start_site PORT CONNECTION_STRING [NAME=VALUE…] : one instance on 127.0.0.1:PORT; waits for /healthz.
# Extra settings go to the instance's environment (e.g. Database__MigrateOnStartup=true).
start_site() {
  local port="$1" cs="$2"; shift 2
  # The connection string (it may hold a password) goes through the environment, never a command line.
  (cd "$APP" && export ConnectionStrings__Default="$cs" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" \
     Logging__File="$WORK/site-$port-.log" Serilog__MinimumLevel__Default="${SITE_LOG_LEVEL:-Warning}" \
     Database__MigrateOnStartup=false Database__SeedDemoIfEmpty=false "$@" dotnet HocLamTheoBac.Web.dll) </dev/null >"$WORK/site-$port.out" 2>&1 &
  PIDS+=($!)
  echo $! >"$WORK/site-$port.pid"
  local _
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.5; done
  cat "$WORK/site-$port.out" >&2; echo "ĐÃ HỎNG: instance on port $port did not start" >&2; return 1
}

# start_nginx LB_PORT PORT… : nginx on 127.0.0.1:LB_PORT over the given instances, round robin.
# A 503 of one instance (no primary yet) is passed on as it is: the other instance sees the same database.
start_nginx() {
  local lb="$1"; shift
  local servers="" p
  for p in "$@"; do servers="$servers server 127.0.0.1:$p;"; done
  command -v nginx >/dev/null || apt_install nginx-light
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_max_body_size 20m;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  upstream hlb_site { $servers keepalive 32; }
  server {
    listen 127.0.0.1:$lb;
    location / {
      proxy_pass http://hlb_site;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
CONF
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' </dev/null >>"$WORK/nginx/stdout.log" 2>&1 &
  PIDS+=($!)
  echo $! >"$WORK/nginx/nginx.run.pid"
  local _
  for _ in $(seq 1 30); do curl -fs "http://127.0.0.1:$lb/healthz" >/dev/null && return 0; sleep 0.5; done
  echo "ĐÃ HỎNG: nginx on port $lb did not answer" >&2; return 1
}
