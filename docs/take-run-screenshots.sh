#!/usr/bin/env bash
# Takes the README's run sequence from the real window under Xvfb: the medallion example stepped through
# with its bundled mocks (test case HappyPath). Needs xvfb, xdotool and imagemagick; run from the repository
# root after `cargo build`. The click on "Run" uses the Simulate window's position in a 1400x900 screen.
set -euo pipefail
BIN=${BIN:-target/debug/statewright}
OUT=${OUT:-docs}
DISP=${DISP:-:79}
export DISPLAY=$DISP
Xvfb "$DISP" -screen 0 1400x900x24 -nolisten tcp & XPID=$!
HOME_DIR=$(mktemp -d)
trap 'kill $APID $XPID 2>/dev/null || true; rm -rf "$HOME_DIR"' EXIT
sleep 1
HOME=$HOME_DIR XDG_CONFIG_HOME=$HOME_DIR/.config "$BIN" assets/examples/medallion-glue-crawlers.asl.json & APID=$!
sleep 8
xdotool windowfocus --sync "$(xdotool search --name statewright | head -1)"
xdotool key F5; sleep 2
xdotool mousemove 446 455 click 1; sleep 4
xdotool mousemove 1390 890
step() { for _ in $(seq 1 "$1"); do xdotool key Right; sleep 0.15; done; sleep 3.5; }
shot() { import -window root "$OUT/$1"; }
step 8;  shot run-1-started.png        # event 9: the first Glue job done, a token per Parallel branch
step 12; shot run-2-choice.png         # event 21: the crawler is RUNNING, the Choice sends the run to the Wait
step 45; shot run-3-loop.png           # event 66: the polling loops, visit counts, the Wait clock
xdotool key End; sleep 3.5
shot run-4-end.png                     # the end: every state succeeded
# An animated run: one frame per state entered.
FR=$(mktemp -d)
xdotool key Home; sleep 1.5
for i in $(seq -w 0 45); do
  import -window root -crop 600x600+340+40 +repage -resize 75% "$FR/f$i.png"
  xdotool key n 2>/dev/null || true
  sleep 0.7
done
convert -delay 60 -loop 0 "$FR"/f*.png -layers Optimize "$OUT/run-animated.gif"
rm -rf "$FR"
