#!/usr/bin/env python3
"""Times `okra serve` rebuilds: edits one objective of a site and measures
how long it takes until the server announces the new build.

    scripts/serve_bench.py SITE [EDITS] [--phases]

With --phases, the server runs with OKRA_LOG=debug and the median time of
each phase over the edits' rebuilds is printed too.

The time runs from the moment the edited file is saved to the moment
`/__okra/state.json` reports the next generation, so it includes noticing
the change, waiting for the burst of file events to end, and the rebuild.
The site's files are restored afterwards.
"""
import collections
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

OKRA = pathlib.Path(__file__).resolve().parent.parent / "target" / "dist" / "okra"


def generation(url):
    with urllib.request.urlopen(url + "__okra/state.json", timeout=5) as response:
        return json.load(response)["generation"]


def main():
    args = [a for a in sys.argv[1:] if a != "--phases"]
    phases = "--phases" in sys.argv[1:]
    site = pathlib.Path(args[0])
    edits = int(args[1]) if len(args) > 1 else 5
    target = sorted((site / "objectives").rglob("*.md"))[len(list((site / "objectives").rglob("*.md"))) // 2]
    original = target.read_text(encoding="utf-8")
    env = dict(os.environ, OKRA_LOG="debug") if phases else None
    server = subprocess.Popen(
        [str(OKRA), "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if phases else subprocess.DEVNULL,
        text=True,
        env=env,
    )
    timings = collections.defaultdict(list)
    if phases:
        threading.Thread(target=collect_phases, args=(server.stderr, timings), daemon=True).start()
    try:
        url = None
        for line in server.stdout:
            found = re.search(r"at (http://\S+/)", line)
            if found:
                url = found.group(1)
                break
        if url is None:
            sys.exit("okra serve did not start")
        times = []
        for values in timings.values():
            values.clear()
        for n in range(edits):
            before = generation(url)
            text = original.replace("title = \"", f"title = \"Edit {n} ", 1)
            started = time.monotonic()
            target.write_text(text, encoding="utf-8")
            while generation(url) == before:
                if time.monotonic() - started > 60:
                    sys.exit("no rebuild within 60 s")
                time.sleep(0.005)
            times.append(time.monotonic() - started)
            time.sleep(0.3)
        print(
            f"serve rebuild after one edit ({edits} edits): median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms"
        )
        for name, values in timings.items():
            print(f"  {name}: median {statistics.median(values):.1f} ms")
    finally:
        target.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()


def collect_phases(stream, timings):
    """Gathers the `debug: PHASE: N ms, …` lines the server prints."""
    for line in stream:
        found = re.match(r"debug: (.+?): ([0-9.]+) ms(,|$)", line.strip())
        if found:
            timings[found.group(1)].append(float(found.group(2)))


if __name__ == "__main__":
    main()
