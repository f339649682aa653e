#!/usr/bin/env bash
# Compares `statewright` parse+validate with the npm package asl-validator on the same corpus, in one run.
# asl-validator runs inside one warm node process (files read up front, each validated once after a warm-up
# pass), so the comparison is per file of validation work, not process start-up.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${STATEWRIGHT_SHARED:-$here/../shared}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

(cd "$scratch" && npm init -y >/dev/null && npm install --silent asl-validator >/dev/null)
find "$shared/corpus/real-world" "$shared/seed-workflows" -name '*.json' | sort > "$scratch/files.txt"

cat > "$scratch/bench.js" <<'JS'
const fs = require("fs");
const mod = require("asl-validator");
const validator = mod.default || mod.validator || mod;
const files = fs.readFileSync(process.argv[2], "utf8").trim().split("\n");
const defs = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
let threw = 0;
const run = () => {
  threw = 0;
  for (const d of defs) {
    try { validator(d); } catch (e) { threw++; }
  }
};
run(); // warm-up
const t0 = process.hrtime.bigint();
run();
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ files: defs.length, ms_per_file: ms / defs.length, threw }));
JS
node_out="$(node "$scratch/bench.js" "$scratch/files.txt")"
echo "asl-validator: $node_out"

ours="$(cd "$here" && STATEWRIGHT_SHARED="$shared" cargo bench --no-default-features --bench validate 2>/dev/null | grep 'per file')"
echo "statewright:   $ours"

python3 - "$node_out" "$ours" <<'PY'
import json, re, sys
node = json.loads(sys.argv[1])
us = float(re.search(r"([0-9.]+) µs per file", sys.argv[2]).group(1))
print(f"ratio: statewright is {node['ms_per_file'] * 1000 / us:.0f}x faster per file "
      f"(asl-validator threw on {node['threw']} of {node['files']} files)")
PY
