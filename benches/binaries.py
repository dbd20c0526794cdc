#!/usr/bin/env python3
"""Compares builds of the tool on the same workshops: time and peak memory.

    python3 benches/binaries.py [--rounds N] WORKSHOP LABEL=BINARY...

for instance, the release build against the static one:

    python3 benches/binaries.py inputs/egov-sdg-2022 \
        glibc=target/release/workshop-report \
        musl=target/x86_64-unknown-linux-musl/release/workshop-report

Each round builds WORKSHOP once with every binary in turn (`build --force
--quiet --in-process`: the process alone, no worker), so that a slower
moment of the machine falls on all of them alike; the first round warms the
caches and is not counted. Prints, for each binary, the median time with
its quartiles and the largest peak memory (resident set) of the rounds.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("workshop")
    parser.add_argument("binaries", nargs="+", metavar="LABEL=BINARY")
    args = parser.parse_args()
    binaries = [b.split("=", 1) for b in args.binaries]
    times = {label: [] for label, _ in binaries}
    peaks = {label: 0 for label, _ in binaries}
    with tempfile.TemporaryDirectory() as out:
        for round in range(args.rounds + 1):
            for label, binary in binaries:
                command = [binary, "build", args.workshop, "--out-dir", os.path.join(out, label)]
                start = time.perf_counter()
                child = subprocess.Popen(
                    command + ["--force", "--quiet", "--in-process"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                _, status, usage = os.wait4(child.pid, 0)
                elapsed = time.perf_counter() - start
                if os.waitstatus_to_exitcode(status) != 0:
                    raise SystemExit(f"{label}: {' '.join(command)} failed")
                if round:
                    times[label].append(elapsed * 1000)
                    peaks[label] = max(peaks[label], usage.ru_maxrss / 1024)
    name = os.path.basename(os.path.normpath(args.workshop))
    for label, _ in binaries:
        t = sorted(times[label])
        quartiles = statistics.quantiles(t, n=4)
        print(
            f"{label:>10} {name}: median {statistics.median(t):.0f} ms "
            f"(quartiles {quartiles[0]:.0f}-{quartiles[2]:.0f}), peak {peaks[label]:.0f} MiB"
        )


if __name__ == "__main__":
    main()
