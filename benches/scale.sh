#!/usr/bin/env bash
# How `validate`, `simulate`, `fmt` and `render` grow with the number of states: runs the release CLI on generated
# chains of N and 8N states (`cargo run --example generate -- chain N`, the generator the benches use) and prints,
# per command, the best CPU time of several runs at each size (user + system, as the kernel accounts each run:
# steadier than wall time on a shared machine), their ratio (target: at most 10 for 8x the states), and the peak
# RSS at 8N against the file size.
# Usage: benches/scale.sh [N] [RUNS]   (defaults: 5000, 5)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-5000}"
runs="${2:-5}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cd "$here"
cargo build --quiet --release --no-default-features --bin statewright --example generate
target="${CARGO_TARGET_DIR:-$here/target}/release"
"$target/examples/generate" chain "$n" > "$scratch/small.asl.json"
"$target/examples/generate" chain "$((8 * n))" > "$scratch/large.asl.json"

python3 - "$target/statewright" "$scratch" "$n" "$runs" <<'PY'
import os, subprocess, sys
exe, scratch, n, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
commands = {
    "validate": ["validate"],
    "simulate": ["simulate", "--format", "json", "--max-transitions", str(10 * 8 * n)],
    "fmt": ["fmt"],
    "render": ["render", "-o", os.path.join(scratch, "out.svg")],
}

def measure(args, path):
    """Best CPU time (s) and largest peak RSS (KiB) of `runs` runs, from the kernel's account of each run (wait4)."""
    best, rss = float("inf"), 0
    for _ in range(runs):
        p = subprocess.Popen([exe, *args[:1], path, *args[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{' '.join(args)} {path} failed: {p.stderr.read().decode().strip()}")
        best = min(best, usage.ru_utime + usage.ru_stime)
        rss = max(rss, usage.ru_maxrss)
    return best, rss

small, large = (os.path.join(scratch, f) for f in ("small.asl.json", "large.asl.json"))
sizes = {p: os.path.getsize(p) for p in (small, large)}
print(f"states: {n} and {8 * n}; files: {sizes[small] / 1e6:.1f} MB and {sizes[large] / 1e6:.1f} MB; best of {runs} runs")
print(f"{'command':<9} {'CPU ' + str(n):>11} {'CPU ' + str(8 * n):>11} {'ratio':>6}   {'peak RSS ' + str(8 * n):>15} {'RSS/file':>9}")
for name, args in commands.items():
    (t1, _), (t8, rss8) = measure(args, small), measure(args, large)
    ratio = t8 / t1 if t1 > 0 else float("nan")
    print(f"{name:<9} {t1:>10.3f}s {t8:>10.3f}s {ratio:>6.1f}   {rss8 / 1024:>12.0f} MB {rss8 * 1024 / sizes[large]:>8.1f}x")
PY
