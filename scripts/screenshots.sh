#!/usr/bin/env bash
# Takes screenshots of the built site in headless Chromium, at 1366 px and
# at a 360 px phone, for the example site, a generated organisation of
# 2,000 objectives and GitLab's published 2018 Q3 OKRs (a real fixture),
# the activity pages of both read from a git history, a department, a
# person and the review, into docs/screenshots/. The before-*.png beside
# them are the same pages before the home page, departments, people and
# review were reworked, kept to compare.
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

# A history to read: the example site's check-ins and a moved target as
# commits by their reporters, and 300 commits of a generated organisation of
# 2,000 objectives, for the activity page and "reported by".
history="$work/history"
mkdir -p "$history" && cp -r example-site "$history/okrs"
commit() { # DATE AUTHOR MESSAGE
  git -C "$history" add -A
  GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" \
    git -C "$history" -c user.name="$2" -c user.email=okr@example.com -c commit.gpgsign=false \
    commit -q -m "$3"
}
git -C "$history" init -q -b main
commit 2026-06-25 "Dana Ruiz" "Q3 plan"
support="$history/okrs/objectives/2026-q3/support-efficiency.md"
printf '\n' >> "$history/okrs/kpis/tickets-per-customer.csv"
sed -i 's/^2026-08-01,0.9$/2026-08-01,0.9\n2026-09-01,0.8/' "$history/okrs/kpis/tickets-per-customer.csv"
commit 2026-09-02 "Ana" "September tickets"
sed -i 's/target = 3.0/target = 3.5/' "$support"
commit 2026-09-03 "Li Wei" "An easier target"
"$okra" build "$history/okrs" --history --as-of 2026-09-05 --output "$work/history-out" >/dev/null 2>&1
BENCH_DIR="$work/bench" OKRA="$okra" python3 scripts/history_bench.py 2000 300 >/dev/null
"$okra" build "$work/bench/repo-2000-300/okrs" --history --output "$work/big-history" >/dev/null 2>&1

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
  shot "example-activity-$width" "$work/history-out/activity.html" "$width" "$height"
  shot "example-reported-$width" "$work/history-out/objectives/support-efficiency.html" "$width" "$height"
  shot "big-activity-$width" "$work/big-history/activity.html" "$width" "$height"
  shot "example-department-$width" "$work/example/teams/operations.html" "$width" "$height"
  shot "example-person-$width" "$work/example/people/sam-patel.html" "$width" "$height"
  shot "big-review-$width" "$work/big-out/review/2026-Q3.html" "$width" "$height"
  shot "big-attention-$width" "$work/big-out/running/attention.html" "$width" "$height"
done
