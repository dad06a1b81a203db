#!/usr/bin/env bash
# The run command: installs PostgreSQL if missing, starts a private cluster (data kept in
# $HLB_HOME, default /var/lib/hoclamtheobac), migrates, seeds demo data on an empty database and
# serves the site on http://127.0.0.1:5080. With ConnectionStrings__Default set, uses that
# database and starts no cluster.   scripts/run.sh stop   stops the cluster.
source "$(dirname "$0")/lib/common.sh"
source "$ROOT/scripts/lib/embedded.sh"

if [ "${1:-}" = stop ]; then
  stop_cluster "$HLB_HOME/pg"
  log "PostgreSQL cluster stopped"
  exit 0
fi

use_embedded_database
publish_app "$HLB_APP_DIR"
# Evidence kept by earlier versions inside the publish folder moves to $HLB_HOME/uploads (0600 files).
if [ -d "$HLB_APP_DIR/App_Data/uploads" ] && [ -n "${Storage__Uploads:-}" ] && [ "$(ls -A "$HLB_APP_DIR/App_Data/uploads")" ]; then
  log "moving evidence files to $Storage__Uploads"
  cp -a "$HLB_APP_DIR/App_Data/uploads/." "$Storage__Uploads/" && rm -rf "$HLB_APP_DIR/App_Data/uploads"
  chmod -R go-rwx "$Storage__Uploads"
fi
URL="${HLB_URL:-http://127.0.0.1:5080}"
cat >&2 <<MSG

  Học tập và làm theo Bác — $URL
  Tài khoản mẫu (mật khẩu: HocLamTheoBac2025):
    admin@hlb.local         Quản trị viên toàn tỉnh
    tuyengiao@hlb.local     Ban Tuyên giáo Tỉnh ủy
    tuyengiao.tp@hlb.local  Ban Tuyên giáo Thành ủy
    bithu@hlb.local         Bí thư Chi bộ Tổ dân phố 1
    bithu2@hlb.local        Bí thư Chi bộ Tổ dân phố 2
    dangvien@hlb.local      Đảng viên Chi bộ Tổ dân phố 1
  Dừng: Ctrl+C (site), scripts/run.sh stop (PostgreSQL).

MSG
cd "$HLB_APP_DIR"
export Database__MigrateOnStartup="${Database__MigrateOnStartup:-true}"
export Database__SeedDemoIfEmpty="${Database__SeedDemoIfEmpty:-true}"
export ASPNETCORE_URLS="$URL"
exec dotnet HocLamTheoBac.Web.dll
