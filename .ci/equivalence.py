#!/usr/bin/env python3
"""Records what the tool makes of every workshop the repository holds, to
show that a change of its insides changes none of its outputs.

    .ci/equivalence.py record DIR [BINARY]    # at the old commit
    .ci/equivalence.py compare DIR [BINARY]   # at the new one

For every sample (`inputs/`), fixture workshop, corpus case
(`tests/errors/`), version pair of `tests/diff/`, survey export of
`tests/fixtures/exports/` and workbook of `tests/fixtures/hostile/` and
`tests/fixtures/workbooks/`, it keeps: the PDF's SHA-256 (`build`), the
diagnostics (`check`, as JSON and as text), the tallies (`tally`, as JSON
and as text) and the summary of changes (`diff --format json`, and text).
Timings are left out of the text. `compare` records anew into a
temporary folder and lists every difference; its exit status is 1 if
there is one.

BINARY defaults to target/release/workshop-report (build it first with
`cargo build --release`). Run from the repository's root.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The questions of tests/cli/exports.rs, named as every tool but
# LimeSurvey's codes head them.
QUESTIONS = """      questions:
        - title: How satisfied were you with the workshop?
          scale: [Very satisfied, Satisfied, Neutral, Unsatisfied, Very unsatisfied]
        - title: Which topics were most useful?
          options:
            - Data governance, privacy and security
            - Digital identity; interoperability
            - Open data
            - Other
        - title: How would you rate the sessions?
          rows: [Opening session, Country presentations]
          scale: [Excellent, Good, Fair, Poor]
        - title: What should be improved?
          kind: text
"""

TIMING = re.compile(r"\b\d+(\.\d+)? m?s\b")


def run(binary, cwd, args):
    """The exit status, standard output and error of `binary args`."""
    done = subprocess.run(
        [binary, "--color", "never", *args],
        cwd=cwd,
        capture_output=True,
        timeout=600,
    )
    out = done.stdout.decode("utf-8", "replace")
    err = TIMING.sub("<time>", done.stderr.decode("utf-8", "replace"))
    return f"exit {done.returncode}\n--- stdout\n{out}\n--- stderr\n{err}"


def workshop(binary, cwd, path, out, key):
    """Records `check`, `tally` and `build` of the workshop at `path`
    (relative to `cwd`) under `key`."""
    write(out, key + ".check", run(binary, cwd, ["check", path]))
    write(out, key + ".check.json", run(binary, cwd, ["check", path, "--format", "json"]))
    write(out, key + ".tally", run(binary, cwd, ["tally", path]))
    write(out, key + ".tally.json", run(binary, cwd, ["tally", path, "--format", "json"]))
    with tempfile.TemporaryDirectory() as pdfs:
        built = run(binary, cwd, ["build", path, "--out-dir", pdfs, "--force", "--format", "json"])
        built = built.replace(pdfs, "<out>")
        for name in sorted(os.listdir(pdfs)):
            if name.endswith(".pdf"):
                with open(os.path.join(pdfs, name), "rb") as f:
                    built += f"\n{name} sha256 {hashlib.sha256(f.read()).hexdigest()}"
        write(out, key + ".build", built)


def write(out, key, text):
    with open(os.path.join(out, key.replace("/", "__")), "w") as f:
        f.write(text)


def copy(src, dst):
    """Copies the folder `src` over `dst`."""
    shutil.copytree(src, dst, dirs_exist_ok=True)


def record(binary, out):
    os.makedirs(out, exist_ok=True)
    folders = sorted(
        os.path.join("inputs", d)
        for d in os.listdir(os.path.join(ROOT, "inputs"))
        if os.path.isfile(os.path.join(ROOT, "inputs", d, "workshop.yaml"))
    )
    for base in ["tests/fixtures", "tests/errors"]:
        for d in sorted(os.listdir(os.path.join(ROOT, base))):
            if os.path.isfile(os.path.join(ROOT, base, d, "workshop.yaml")):
                folders.append(f"{base}/{d}")
    folders.append("tests/diff/base")
    for path in folders:
        workshop(binary, ROOT, path, out, path)

    with tempfile.TemporaryDirectory() as scratch:
        # Version pairs: the base, and the base with the case laid over.
        cases = sorted(d for d in os.listdir(os.path.join(ROOT, "tests/diff")) if d != "base")
        for case in cases:
            here = os.path.join(scratch, "diff", case)
            copy(os.path.join(ROOT, "tests/diff/base"), os.path.join(here, "old"))
            copy(os.path.join(ROOT, "tests/diff/base"), os.path.join(here, "new"))
            copy(os.path.join(ROOT, "tests/diff", case), os.path.join(here, "new"))
            for format in ["text", "json", "markdown"]:
                write(out, f"diff/{case}.{format}",
                      run(binary, here, ["diff", "old", "new", "--format", format]))

        # Survey exports, each read by a workshop of the reference questions.
        exports = os.path.join(ROOT, "tests/fixtures/exports")
        for name in sorted(os.listdir(exports)):
            if not name.endswith((".csv", ".xlsx")):
                continue
            here = os.path.join(scratch, "exports", name)
            os.makedirs(os.path.join(here, "w"))
            shutil.copy(os.path.join(exports, name), os.path.join(here, "w", name))
            with open(os.path.join(here, "w", "workshop.yaml"), "w") as f:
                f.write("title: T\ndates: {start: 2024-05-14, end: 2024-05-14}\n"
                        f"annexes:\n  - feedback:\n      responses: {name}\n{QUESTIONS}")
            workshop(binary, here, "w", out, f"exports/{name}")

        # Workbooks, each as a list of participants.
        for folder in ["tests/fixtures/hostile", "tests/fixtures/workbooks"]:
            for name in sorted(os.listdir(os.path.join(ROOT, folder))):
                if not name.endswith((".xlsx", ".xls", ".ods", ".xlsm", ".csv")):
                    continue
                here = os.path.join(scratch, folder, name)
                os.makedirs(os.path.join(here, "w"))
                shutil.copy(os.path.join(ROOT, folder, name), os.path.join(here, "w", name))
                with open(os.path.join(here, "w", "workshop.yaml"), "w") as f:
                    f.write("title: T\ndates: {start: 2024-05-14, end: 2024-05-14}\n"
                            f"annexes:\n  - participants:\n      - file: {name}\n")
                workshop(binary, here, "w", out, f"{folder}/{name}")
    return len(os.listdir(out))


def compare(binary, old):
    with tempfile.TemporaryDirectory() as new:
        count = record(binary, new)
        differ = []
        for name in sorted(set(os.listdir(old)) | set(os.listdir(new))):
            a = read(os.path.join(old, name))
            b = read(os.path.join(new, name))
            if a != b:
                differ.append(name)
                print(f"--- {name}\n{a}\n+++ {name}\n{b}\n")
        print(f"{count} outputs recorded; {len(differ)} differ from {old}")
        for name in differ:
            print(f"  {name}")
        return 1 if differ else 0


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return "(none)"


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ("record", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[3] if len(sys.argv) == 4
                             else os.path.join(ROOT, "target/release/workshop-report"))
    out = os.path.abspath(sys.argv[2])
    if sys.argv[1] == "record":
        print(f"{record(binary, out)} outputs recorded in {out}")
        return 0
    return compare(binary, out)


if __name__ == "__main__":
    sys.exit(main())
