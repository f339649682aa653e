#!/usr/bin/env bash
# Compares the simulator with the npm package aws-local-stepfunctions on the three workloads in
# benches/workloads/ (the same definition and input files for both), in one run.
#
# aws-local-stepfunctions runs inside ONE warm node process: each StateMachine is constructed (and validated)
# outside the timed region, run once as a warm-up, then timed over two more runs; the best run counts.
# statewright is timed three ways, nothing subtracted from any:
#   in-process, full: `cargo bench --bench sim`, the library in one warm process like the node side (warm-up run,
#     best of up to five), timing `simulate` recording the full trace (every event, every stage) as the designer
#     and `simulate --trace` do;
#   in-process, result-only: the same run recording only the result (Record::ResultOnly), as `--format json`
#     does — aws-local-stepfunctions' `run(input).result` also keeps no per-state history;
#   CLI: the release `statewright simulate --format json`, one fresh process per run, best of three — process
#     start, reading and parsing the files, the run (result-only: nothing asks for the trace), printing the result.
# Both tools' outputs are compared.
# Peak RSS of our Map workload, CLI with the full trace written (`--trace`) and result-only, comes from
# /usr/bin/time -v (or getrusage via python when it is missing).
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
in_process = {(m.group(1), m.group(2)): float(m.group(3))
              for m in re.finditer(r"^(\S+) \[([a-z-]+)\]: ([0-9.]+) ms per run", open(ours_file).read(), re.M)}

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
    rows.append((name, in_process[(name, "full")], in_process[(name, "result-only")], best, peer[name]["ms"], same))

peer_col = f"aws-local-stepfunctions {peer_version} ms"
print(f"{'workload':<16} {peer_col:>34} {'ours full ms':>13} {'ratio':>7} {'ours result-only ms':>20} {'ratio':>7} "
      f"{'ours CLI ms':>12} {'ratio':>7}  same output")
for name, full, result_only, cli, theirs, same in rows:
    print(f"{name:<16} {theirs:>34.1f} {full:>13.1f} {theirs / full:>6.1f}x {result_only:>20.1f} "
          f"{theirs / result_only:>6.1f}x {cli:>12.1f} {theirs / cli:>6.1f}x  {'yes' if same else 'NO'}")

# Peak RSS of our Map workload: with the full trace written, and result-only.
def peak_rss_kb(argv):
    if shutil.which("time") or os.path.exists("/usr/bin/time"):
        p = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True)
        return next(int(l.split(":")[1]) for l in p.stderr.splitlines() if "Maximum resident set size" in l)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(argv, capture_output=True)
    return max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)

trace_out = os.path.join(os.path.dirname(peer_file), "map-10k.trace.json")
full_kb = peak_rss_kb(cmd("map-10k") + ["--trace", trace_out])
result_kb = peak_rss_kb(cmd("map-10k"))
print(f"peak RSS, statewright map-10k: full trace (--trace) {full_kb / 1024:.1f} MiB, "
      f"result-only (--format json) {result_kb / 1024:.1f} MiB")
PY
