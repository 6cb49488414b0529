#!/usr/bin/env python3
"""Times `okra build --history` on a generated site with a long git history.

    scripts/history_bench.py [DOCS] [COMMITS]     default: 1000 objectives, 3000 commits

OKRA names the binary to time (default: target/dist/okra).

Generates a site with ../shared/bench/gen_site.py, commits it, then makes
COMMITS commits that each edit the `current` value of one objective (and,
every tenth commit, a target too), dated a day apart. Prints the median of
three builds with and without --history, and what the history held.
"""
import os
import pathlib
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
OKRA = pathlib.Path(os.environ.get("OKRA", ROOT / "target" / "dist" / "okra"))
WORK = pathlib.Path(os.environ.get("BENCH_DIR", "/dev/shm/okra-history-bench"))


def git(repo, *args, env=None):
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_repository(docs, commits):
    repo = WORK / f"repo-{docs}-{commits}"
    if (repo / "done").is_file():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    site = repo / "okrs"
    subprocess.run([sys.executable, str(ROOT.parent / "shared" / "bench" / "gen_site.py"),
                    "--docs", str(docs), "--out", str(site)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
    env = dict(os.environ, **base)
    git(repo, "init", "-q", "-b", "main", env=env)
    git(repo, "add", "-A", env=env)
    plan = dict(env, GIT_AUTHOR_DATE="1700000000 +0000", GIT_COMMITTER_DATE="1700000000 +0000")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "plan", env=plan)
    files = [f for f in sorted((site / "objectives").rglob("*.md"))
             if "current = " in f.read_text(encoding="utf-8")]
    rng = random.Random(7)
    day = 1_700_000_000
    for n in range(commits):
        path = rng.choice(files)
        text = path.read_text(encoding="utf-8")
        text, changed = re.subn(r"current = ([0-9.]+)",
                                lambda m: f"current = {round(float(m.group(1)) * rng.uniform(0.97, 1.05), 2)}",
                                text, count=1)
        if n % 10 == 0:
            text = re.sub(r"target = ([0-9.]+)",
                          lambda m: f"target = {round(float(m.group(1)) * 1.01, 2)}", text, count=1)
        path.write_text(text, encoding="utf-8")
        day += 86_400
        stamp = f"{day} +0000"
        env = dict(os.environ, **base, GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-am", f"check-in {n}", env=env)
    (repo / "done").write_text("")
    return repo


def median_build(site, out, extra):
    times = []
    for _ in range(3):
        started = time.monotonic()
        result = subprocess.run([str(OKRA), "build", str(site), "-o", str(out), *extra],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, OKRA_LOG="debug"))
        times.append(time.monotonic() - started)
        if result.returncode != 0:
            sys.exit(result.stderr)
        log = result.stderr
    return statistics.median(times), log


def main():
    docs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    WORK.mkdir(parents=True, exist_ok=True)
    repo = make_repository(docs, commits)
    site = repo / "okrs"
    plain, _ = median_build(site, WORK / "out", [])
    with_history, log = median_build(site, WORK / "out", ["--history"])
    held = re.search(r"debug: history: (Read .*)", log)
    phase = re.search(r"debug: history: ([0-9.]+) ms", log)
    print(f"{docs} objectives, {commits} commits: build {plain:.2f} s, with --history {with_history:.2f} s"
          f" (reading the history {phase.group(1) if phase else '?'} ms)")
    if held:
        print(f"  {held.group(1)}")


if __name__ == "__main__":
    main()
