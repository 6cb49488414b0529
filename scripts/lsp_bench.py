#!/usr/bin/env python3
"""Measures how soon `okra lsp` publishes diagnostics after an edit.

    python3 scripts/lsp_bench.py SITE [EDITS]

Starts `target/dist/okra lsp SITE` (build it first with `cargo build
--profile dist`), opens the first objective of the site, then edits its buffer
EDITS times (default 21), alternately breaking its owner's id and mending
it, and times each edit from sending `textDocument/didChange` to receiving
the file's new diagnostics. Prints the time of the first check (the whole
site, on start) and the median and slowest edit.
"""

import json
import os
import pathlib
import statistics
import subprocess
import sys
import threading
import time
import queue


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    site = pathlib.Path(sys.argv[1]).resolve()
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    okra = pathlib.Path(__file__).resolve().parent.parent / "target/dist/okra"
    server = subprocess.Popen(
        [str(okra), "lsp", str(site)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    messages = queue.Queue()
    threading.Thread(target=read_messages, args=(server.stdout, messages), daemon=True).start()

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def wait(matches):
        while True:
            message = messages.get(timeout=60)
            if matches(message):
                return message

    started = time.perf_counter()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": site.as_uri(), "capabilities": {}}})
    wait(lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    # The first check publishes the site's diagnostics; a hover waits for it.
    path = first_objective(site)
    uri = path.as_uri()
    send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
          "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
    wait(lambda m: m.get("id") == 2)
    first = time.perf_counter() - started

    text = path.read_text()
    owner = next(line for line in text.splitlines() if line.startswith("owner = "))
    broken = text.replace(owner, owner[:-1] + "zz\"", 1)
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    # Whatever the opening publishes is not an edit's answer.
    time.sleep(1)
    while not messages.empty():
        messages.get()
    times = []
    for n in range(edits):
        body = broken if n % 2 == 0 else text
        start = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": n + 2},
                         "contentChanges": [{"text": body}]}})
        wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
             and m["params"]["uri"] == uri)
        times.append((time.perf_counter() - start) * 1000)
    send({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None})
    wait(lambda m: m.get("id") == 3)
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    server.wait(timeout=10)
    print(f"lsp: first check {first * 1000:.0f} ms; diagnostics after an edit "
          f"({edits} edits): median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")


def first_objective(site):
    for root, dirs, files in sorted(os.walk(site / "objectives")):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md"):
                path = pathlib.Path(root) / name
                if any(line.startswith("owner = ") for line in path.read_text().splitlines()):
                    return path
    sys.exit("no objective with an owner in the site")


def read_messages(stream, messages):
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
        messages.put(json.loads(stream.read(length)))


if __name__ == "__main__":
    main()
