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
kill $APID; sleep 1
# An animated run in presentation mode: the extract/transform/load seed with its failing test case, one
# frame as each event is reached and one just after (a token on its way).
HOME=$HOME_DIR XDG_CONFIG_HOME=$HOME_DIR/.config "$BIN" assets/examples/fiap-extract-transform-load.asl.json & APID=$!
sleep 8
xdotool windowfocus --sync "$(xdotool search --name statewright | head -1)"
xdotool key F5; sleep 2
xdotool mousemove 475 403 click 1; sleep 1       # the test case combo
xdotool mousemove 495 454 click 1; sleep 1       # TransformJobFails
xdotool mousemove 446 455 click 1; sleep 3       # Run
xdotool mousemove 1390 890
xdotool key F11; sleep 2; xdotool key Home; sleep 2
FR=$(mktemp -d)
frame() { import -window root -crop 910x770+0+38 +repage -resize 66% "$FR/f$(printf %03d "$1").png"; }
n=0
for _ in $(seq 1 14); do
  frame $n; n=$((n + 1))
  xdotool key Right; sleep 0.15
  frame $n; n=$((n + 1)); sleep 0.8
done
frame $n; cp "$FR/f$(printf %03d $n).png" "$FR/f999.png"
shot run-5-presentation.png            # presentation mode at the end: the Catch taken, the Fail state
convert -delay 55 -loop 0 "$FR"/f*.png -layers Optimize "$OUT/run-animated.gif"
rm -rf "$FR"
