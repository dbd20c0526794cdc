#!/usr/bin/env python3
"""Save-to-update time of `workshop-report preview`: a one-paragraph edit.

    python3 benches/preview.py [--rounds N] [--binary PATH] [WORKSHOP]

Copies WORKSHOP (default inputs/egov-sdg-2022, the 25-page sample) to a
temporary folder, starts `preview` on it, follows its event stream as a
browser does, then edits one paragraph of the record, alternately one way
and back, N times. Each round's time runs from just before the file is
written to the moment the build event arrives with every byte of it (the
changed pages named, their pictures ready to fetch), and also until the
changed pages' pictures are fetched. Prints the median and quartiles, and
the pages each event named.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

EDIT = ("Innovation and continuous transformation", "Innovation and constant transformation")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--binary", default="target/release/workshop-report")
    parser.add_argument("workshop", nargs="?", default="inputs/egov-sdg-2022")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, os.path.basename(args.workshop.rstrip("/")))
        shutil.copytree(args.workshop, folder)
        branding = os.path.join(os.path.dirname(os.path.abspath(args.workshop)), "branding.yaml")
        if os.path.exists(branding):
            shutil.copy(branding, tmp)
        record = os.path.join(folder, "workshop.yaml")
        text = open(record, encoding="utf-8").read()
        if EDIT[0] not in text:
            raise SystemExit(f"the record has no paragraph with {EDIT[0]!r} to edit")
        server = subprocess.Popen(
            [args.binary, "preview", folder],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        try:
            url = server.stdout.readline().split()[-1]
            port = int(url.rstrip("/").rsplit(":", 1)[1])
            events = Events(port)
            first = events.next()
            print(f"first build: {len(first['pages'])} pages in {first['milliseconds']} ms")
            times, fetched, named = [], [], []
            for i in range(args.rounds + 1):
                old, new = EDIT if i % 2 == 0 else EDIT[::-1]
                text = text.replace(old, new, 1)
                started = time.perf_counter()
                with open(record, "w", encoding="utf-8") as f:
                    f.write(text)
                update = events.next()
                arrived = time.perf_counter()
                for change in update["changed"]:
                    if change["new"]:
                        page = update["pages"][change["new"] - 1]
                        get(port, f"/pages/{page['id']}.{page['format']}")
                done = time.perf_counter()
                if i == 0:
                    continue  # warms the caches, as the first save of a session does
                times.append((arrived - started) * 1000)
                fetched.append((done - started) * 1000)
                named.append(",".join(str(c["new"]) for c in update["changed"]))
            report("save to event", times)
            report("save to pictures fetched", fetched)
            print("pages named by the events:", sorted(set(named)))
        finally:
            server.terminate()
            server.wait()


def report(what, times):
    q = statistics.quantiles(times, n=4)
    print(f"{what}: median {statistics.median(times):.0f} ms (quartiles {q[0]:.0f}-{q[2]:.0f} ms,"
          f" max {max(times):.0f} ms, {len(times)} saves)")


class Events:
    """The preview's event stream, read as a browser's EventSource does."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.buffer = b""
        self.read_until(b"\r\n\r\n")

    def read_until(self, end):
        while end not in self.buffer:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise SystemExit("the preview closed its event stream")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(end, 1)
        return head

    def next(self):
        while True:
            block = self.read_until(b"\n\n").decode()
            data = [line[6:] for line in block.split("\n") if line.startswith("data: ")]
            if data:
                return json.loads("\n".join(data))


def get(port, path):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        while s.recv(1 << 16):
            pass


if __name__ == "__main__":
    main()
