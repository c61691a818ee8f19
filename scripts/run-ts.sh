#!/usr/bin/env bash
# run-ts.sh NAME FILE [ARGS...]: runs a TypeScript entry point with a Node.js
# that libp2p supports (>= 22): the one pinned in node_modules when present,
# else the node on PATH. NAME prefixes the error message.
set -euo pipefail
name=$1
file=$2
shift 2
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
node_bin="$root/node_modules/.bin/node"
[ -x "$node_bin" ] || node_bin=$(command -v node || true)
if [ -z "$node_bin" ] || ! "$node_bin" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  echo "$name: needs Node.js 22 or newer; run npm install in $root to get the pinned Node 24" >&2
  exit 2
fi
exec "$node_bin" --no-warnings=ExperimentalWarning "$file" "$@"
