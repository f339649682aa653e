#!/usr/bin/env bash
# How `validate`, `simulate`, `fmt` and `render` grow with the number of states: runs the release CLI on generated
# chains of N and 8N states (`cargo run --example generate -- chain N`, the generator the benches use) and prints,
# per command, the best CPU time of several runs at each size (user + system, as the kernel accounts each run:
# steadier than wall time on a shared machine), their ratio (target: at most 10 for 8x the states), and the peak
# RSS at 8N against the file size. `render (shared catch)` renders `generate shared-catch N` and 8N instead: chains
# whose Tasks all catch to one `Failed` and whose Choices all loop back to the first state (long shared edges).
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
"$target/examples/generate" shared-catch "$n" > "$scratch/small-shared.asl.json"
"$target/examples/generate" shared-catch "$((8 * n))" > "$scratch/large-shared.asl.json"

python3 - "$target/statewright" "$scratch" "$n" "$runs" <<'PY'
import os, subprocess, sys
exe, scratch, n, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
out = os.path.join(scratch, "out.svg")
commands = {
    "validate": (["validate"], ""),
    "simulate": (["simulate", "--format", "json", "--max-transitions", str(10 * 8 * n)], ""),
    "fmt": (["fmt"], ""),
    "render": (["render", "-o", out], ""),
    "render (shared catch)": (["render", "-o", out], "-shared"),
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

path = lambda size, kind: os.path.join(scratch, f"{size}{kind}.asl.json")
small, large = path("small", ""), path("large", "")
sizes = {path(s, k): os.path.getsize(path(s, k)) for s in ("small", "large") for k in ("", "-shared")}
print(f"states: {n} and {8 * n}; files: {sizes[small] / 1e6:.1f} MB and {sizes[large] / 1e6:.1f} MB; best of {runs} runs")
print(f"{'command':<21} {'CPU ' + str(n):>11} {'CPU ' + str(8 * n):>11} {'ratio':>6}   {'peak RSS ' + str(8 * n):>15} {'RSS/file':>9}")
for name, (args, kind) in commands.items():
    (t1, _), (t8, rss8) = measure(args, path("small", kind)), measure(args, path("large", kind))
    ratio = t8 / t1 if t1 > 0 else float("nan")
    file = sizes[path("large", kind)]
    print(f"{name:<21} {t1:>10.3f}s {t8:>10.3f}s {ratio:>6.1f}   {rss8 / 1024:>12.0f} MB {rss8 * 1024 / file:>8.1f}x")
PY
