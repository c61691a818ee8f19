#!/usr/bin/env bash
# Runs a local swarm of N peer processes on loopback; see scripts/swarm.sh --help.
# Uses the Node.js pinned in node_modules (libp2p needs Node >= 22).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_bin="$root/node_modules/.bin/node"
[ -x "$node_bin" ] || node_bin=$(command -v node || true)
if [ -z "$node_bin" ] || ! "$node_bin" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  echo "swarm.sh: needs Node.js 22 or newer; run npm install in $root to get the pinned Node 24" >&2
  exit 2
fi
exec "$node_bin" --no-warnings=ExperimentalWarning "$root/scripts/swarm.ts" "$@"
