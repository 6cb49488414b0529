#!/usr/bin/env bash
# Takes screenshots of the built site in headless Chromium, at 1366 px and
# at a 360 px phone, for the example site, a generated organisation of
# 2,000 objectives and GitLab's published 2018 Q3 OKRs (a real fixture),
# into docs/screenshots/.
#
#   scripts/screenshots.sh
#
# The generated site comes from ../shared/bench/gen_site.py.
set -euo pipefail
cd "$(dirname "$0")/.."

okra=$PWD/target/release/okra
out=$PWD/docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
python3 ../shared/bench/gen_site.py --docs 2000 --out "$work/big" >/dev/null
"$okra" build example-site --output "$work/example" >/dev/null
"$okra" build "$work/big" --output "$work/big-out" >/dev/null
"$okra" build tests/fixtures/real/gitlab --output "$work/gitlab" >/dev/null

# shot NAME FILE WIDTH HEIGHT
shot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size="$3,$4" \
    --screenshot="$out/$1.png" "file://$2" >/dev/null 2>&1
  echo "$out/$1.png"
}

first() { find "$1" -name '*.html' | sort | head -n 1; }

for width in 1366 360; do
  height=$([ "$width" = 360 ] && echo 2400 || echo 1600)
  shot "example-home-$width" "$work/example/index.html" "$width" "$height"
  shot "example-objective-$width" "$work/example/objectives/improve-gross-margin.html" "$width" "$height"
  shot "example-team-$width" "$work/example/teams/finance.html" "$width" "$height"
  shot "example-review-$width" "$work/example/review/2026-Q3.html" "$width" "$height"
  shot "big-home-$width" "$work/big-out/index.html" "$width" "$height"
  shot "big-team-$width" "$(first "$work/big-out/teams")" "$width" "$height"
  shot "big-objective-$width" "$(first "$work/big-out/objectives")" "$width" "$height"
  shot "big-periods-$width" "$work/big-out/periods.html" "$width" "$height"
  shot "gitlab-graded-$width" "$work/gitlab/objectives/gitlab-com-ready.html" "$width" "$height"
  shot "gitlab-retrospective-$width" "$work/gitlab/objectives/plan-ready.html" "$width" "$height"
done
