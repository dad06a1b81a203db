#!/usr/bin/env bash
# Refreshes the front-end files served from wwwroot/lib from the npm registry (package.json pins
# the versions). The copied files are committed, so running the site never needs npm or a CDN.
set -euo pipefail
cd "$(dirname "$0")/../src/HocLamTheoBac.Web"
npm install --no-audit --no-fund
rm -rf wwwroot/lib && mkdir -p wwwroot/lib/bootstrap/css wwwroot/lib/bootstrap/js wwwroot/lib/chart.js
cp node_modules/bootstrap/dist/css/bootstrap.min.css wwwroot/lib/bootstrap/css/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js wwwroot/lib/bootstrap/js/
cp node_modules/bootstrap/LICENSE wwwroot/lib/bootstrap/LICENSE
cp node_modules/chart.js/dist/chart.umd.js wwwroot/lib/chart.js/chart.umd.js
cp node_modules/chart.js/LICENSE.md wwwroot/lib/chart.js/LICENSE.md
echo "assets copied to wwwroot/lib"
