#!/usr/bin/env python3
"""Times `okra serve` rebuilds: edits one objective of a site and measures
how long it takes until the server announces the new build.

    scripts/serve_bench.py SITE [EDITS]

The time runs from the moment the edited file is saved to the moment
`/__okra/state.json` reports the next generation, so it includes noticing
the change, waiting for the burst of file events to end, and the rebuild.
The site's files are restored afterwards.
"""
import json
import pathlib
import re
import statistics
import subprocess
import sys
import time
import urllib.request

OKRA = pathlib.Path(__file__).resolve().parent.parent / "target" / "release" / "okra"


def generation(url):
    with urllib.request.urlopen(url + "__okra/state.json", timeout=5) as response:
        return json.load(response)["generation"]


def main():
    site = pathlib.Path(sys.argv[1])
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    target = sorted((site / "objectives").rglob("*.md"))[len(list((site / "objectives").rglob("*.md"))) // 2]
    original = target.read_text(encoding="utf-8")
    server = subprocess.Popen(
        [str(OKRA), "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
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
    finally:
        target.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
