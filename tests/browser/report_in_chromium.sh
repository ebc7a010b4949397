#!/usr/bin/env bash
# Makes the Denver scale-up report with the built CLI, loads it in headless Chromium, checks that the
# charts are in the DOM and that the console logged no error, and saves a screenshot as an artifact.
# usage: report_in_chromium.sh PATHWAYS_BINARY SOURCE_ROOT ARTIFACT_DIR
# Exit 0 pass, 1 fail, 77 skipped (no Chromium).
set -euo pipefail

cli=$1
root=$2
artifacts=$3

browser=${CHROMIUM:-}
if [[ -z "$browser" ]]; then
  browser=$(command -v chromium || command -v chromium-browser || true)
fi
if [[ -z "$browser" || ! -x "$browser" ]]; then
  echo "chromium not installed: skipped (install Debian's chromium package to run this test)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$cli" run "$root/scenarios/denver-scale-up.json" --all-variants --draws 8 --quiet --report --out "$work/out" >/dev/null \
  || fail "pathways run --report failed"
report="$work/out/report.html"
[[ -s "$report" ]] || fail "no report.html written"

# Every flag that would reach the network is off; the report must not need it.
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile" --enable-logging=stderr --v=0
       --hide-scrollbars)

timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$report" >"$work/dom.html" 2>"$work/console.log" \
  || fail "chromium could not load the report (see below)"$'\n'"$(tail -20 "$work/console.log")"

if grep -E "Uncaught|ERROR:CONSOLE|Failed to load resource" "$work/console.log"; then
  fail "the browser console logged errors"
fi
svgs=$(grep -o "<svg" "$work/dom.html" | wc -l)
(( svgs >= 10 )) || fail "expected at least 10 SVG charts in the DOM, found $svgs"
for marker in 'class="diagram"' 'class="chart band-chart"' 'class="chart interval-chart"' '<h2 id="decision">' \
              'class="zero"' '<title id=' 'What changes for students' 'Opportunity gaps'; do
  grep -q -- "$marker" "$work/dom.html" || fail "the DOM lacks $marker"
done

mkdir -p "$artifacts"
rm -f "$artifacts/report.png"
timeout 120 "$browser" "${flags[@]}" --screenshot="$artifacts/report.png" --window-size=1280,2400 "file://$report" \
  >/dev/null 2>"$work/screenshot.log" || fail "chromium could not take a screenshot"
[[ "$(head -c 8 "$artifacts/report.png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] \
  || fail "the screenshot is not a PNG"
echo "report loaded in $(basename "$browser") with $svgs SVG charts and no console errors; screenshot: $artifacts/report.png"
