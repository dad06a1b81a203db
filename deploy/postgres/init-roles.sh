#!/bin/sh
# docker compose: run by the postgres image on its first start (docker-entrypoint-initdb.d).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$HLB_OWNER_PASSWORD" -v site_password="$HLB_SITE_PASSWORD" -v db=hoclamtheobac \
  -f /docker-entrypoint-initdb.d/roles.sql.in
