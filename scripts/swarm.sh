#!/usr/bin/env bash
# Runs a local swarm of N peer processes on loopback; see scripts/swarm.sh --help.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec "$root/scripts/run-ts.sh" swarm.sh "$root/scripts/swarm.ts" "$@"
