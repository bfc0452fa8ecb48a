#!/usr/bin/env python3
"""How much of the PostGIS store reappears in the SQLite store (not run by CI).

A line is non-trivial when, stripped, it is not blank, not a comment, not lone punctuation
(`}`, `});`, `)?;`, ...) and not part of a `use` declaration (which may span lines). The
overlap is the share of the non-trivial lines of the PostGIS-only files (src/store/postgres/)
whose exact stripped text is also a non-trivial line of the SQLite-only files
(src/store/sqlite/). Also prints the total line count of every file under src/store.

Usage: scripts/store-overlap.py [REPO_ROOT]   (default: the current directory)
"""

import re
import sys
from pathlib import Path

PUNCTUATION_ONLY = re.compile(r"^[\s\W_]*$")
USE = re.compile(r"^(pub(\([^)]*\))?\s+)?use\s")


def non_trivial(path: Path) -> list[str]:
    lines, in_use, in_block_comment = [], False, False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if in_block_comment:
            in_block_comment = "*/" not in line
            continue
        if line.startswith("/*"):
            in_block_comment = "*/" not in line
            continue
        if in_use:
            in_use = not line.endswith(";")
            continue
        if USE.match(line):
            in_use = not line.endswith(";")
            continue
        if not line or line.startswith("//") or PUNCTUATION_ONLY.match(line):
            continue
        lines.append(line)
    return lines


def rust_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.rs"))


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    store = root / "src" / "store"
    pg = [line for f in rust_files(store / "postgres") for line in non_trivial(f)]
    sqlite = {line for f in rust_files(store / "sqlite") for line in non_trivial(f)}
    shared = sum(1 for line in pg if line in sqlite)
    total = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in rust_files(store))
    print(f"PostGIS non-trivial lines:       {len(pg)}")
    print(f"  of which also in SQLite store: {shared} ({100 * shared / max(len(pg), 1):.1f} %)")
    print(f"total lines under src/store:     {total}")


if __name__ == "__main__":
    main()
