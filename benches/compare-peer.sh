#!/usr/bin/env bash
# Compares the simulator with the npm package aws-local-stepfunctions on the three workloads in
# benches/workloads/ (the same definition and input files for both), in one run.
#
# aws-local-stepfunctions runs inside ONE warm node process: each StateMachine is constructed (and validated)
# outside the timed region, run once as a warm-up, then timed over two more runs; the best run counts.
# statewright is timed two ways, nothing subtracted from either:
#   in-process: `cargo bench --bench sim`, the library in one warm process like the node side (warm-up run, best of
#     up to five), timing `simulate` with its full trace — the like-for-like comparison;
#   CLI: the release `statewright simulate`, one fresh process per run, best of three — process start, reading and
#     parsing the files, the run with its full trace, and printing the result.
# Both tools' outputs are compared.
# Peak RSS of our Map workload comes from /usr/bin/time -v (or getrusage via python when it is missing).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$here/benches/workloads"
workloads=(loop-100k map-10k parallel-8x1k)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

(cd "$scratch" && npm init -y >/dev/null && npm install --silent aws-local-stepfunctions >/dev/null 2>&1)
peer_version="$(node -p "require('$scratch/node_modules/aws-local-stepfunctions/package.json').version")"

cat > "$scratch/bench.mjs" <<'JS'
import fs from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(process.argv[2] + "/");
const { StateMachine } = require("aws-local-stepfunctions");
const [, , , dir, ...names] = process.argv;
const out = {};
for (const name of names) {
  const definition = JSON.parse(fs.readFileSync(`${dir}/${name}.asl.json`, "utf8"));
  const input = JSON.parse(fs.readFileSync(`${dir}/${name}.input.json`, "utf8"));
  const machine = new StateMachine(definition);
  let result = await machine.run(input).result; // warm-up
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const t0 = process.hrtime.bigint();
    result = await machine.run(input).result;
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  out[name] = { ms: best, output: result };
}
console.log(JSON.stringify(out));
JS
echo "aws-local-stepfunctions $peer_version: running ${workloads[*]} in one node process…" >&2
node "$scratch/bench.mjs" "$scratch" "$work" "${workloads[@]}" > "$scratch/peer.json"

echo "statewright: cargo bench --bench sim (in-process)…" >&2
(cd "$here" && cargo bench --no-default-features --bench sim 2>/dev/null) > "$scratch/ours.txt"
echo "statewright: building the release CLI (GUI-free core)…" >&2
(cd "$here" && cargo build --release --no-default-features --quiet)
bin="${CARGO_TARGET_DIR:-$here/target}/release/statewright"

python3 - "$bin" "$work" "$scratch/peer.json" "$peer_version" "$scratch/ours.txt" "${workloads[@]}" <<'PY'
import json, os, re, resource, shutil, subprocess, sys, time
bin_, work, peer_file, peer_version, ours_file, *names = sys.argv[1:]
peer = json.load(open(peer_file))
in_process = {m.group(1): float(m.group(2))
              for m in re.finditer(r"^(\S+): ([0-9.]+) ms per run", open(ours_file).read(), re.M)}

def cmd(name):
    return [bin_, "simulate", f"{work}/{name}.asl.json", "--input", f"{work}/{name}.input.json",
            "--max-transitions", "10000000", "--format", "json"]

rows = []
for name in names:
    best, out = float("inf"), None
    for _ in range(3):
        t0 = time.perf_counter()
        p = subprocess.run(cmd(name), capture_output=True, text=True)
        best = min(best, (time.perf_counter() - t0) * 1e3)
        out = json.loads(p.stdout)
    same = out.get("status") == "SUCCEEDED" and out.get("output") == peer[name]["output"]
    rows.append((name, in_process[name], best, peer[name]["ms"], same))

peer_col = f"aws-local-stepfunctions {peer_version} ms"
print(f"{'workload':<16} {peer_col:>34} {'statewright in-process ms':>26} {'ratio':>7} "
      f"{'statewright CLI ms':>19} {'ratio':>7}  same output")
for name, warm, cli, theirs, same in rows:
    print(f"{name:<16} {theirs:>34.1f} {warm:>26.1f} {theirs / warm:>6.1f}x {cli:>19.1f} {theirs / cli:>6.1f}x  "
          f"{'yes' if same else 'NO'}")

# Peak RSS of our Map workload.
m = cmd("map-10k")
if shutil.which("time") or os.path.exists("/usr/bin/time"):
    p = subprocess.run(["/usr/bin/time", "-v", *m], capture_output=True, text=True)
    kb = next(int(l.split(":")[1]) for l in p.stderr.splitlines() if "Maximum resident set size" in l)
else:
    subprocess.run(m, capture_output=True)
    kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"peak RSS, statewright map-10k: {kb / 1024:.1f} MiB")
PY
