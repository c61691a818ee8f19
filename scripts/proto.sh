#!/usr/bin/env bash
# Regenerates the wire codecs from src/wire/swarm.proto with protons:
# src/wire/swarm.js and swarm.d.ts (committed). protons emits TypeScript with
# namespaces and enums, which Node's type stripping cannot run, so it is
# compiled to JavaScript here (without type checks: protons output for empty
# messages does not pass strict mode) and the generated .ts removed.
set -euo pipefail
cd "$(dirname "$0")/../src/wire"
protons swarm.proto
tsc --ignoreConfig swarm.ts --declaration --target es2022 --module nodenext --moduleResolution nodenext --skipLibCheck --noCheck --outDir .
rm swarm.ts
