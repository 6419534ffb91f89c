#!/usr/bin/env python3
"""Checks docs/steps.md against the code: every `file:name` it names must
exist. `name` is a function (`Class::method` or a free function, found where
it is defined or declared followed by "(") or a GoogleTest case
(`Suite.Test`, found as TEST(Suite, Test), TEST_F or TEST_P). A page that
names code which was renamed or removed fails here instead of misleading a
reader.

Usage: check_steps.py SOURCE_DIR [PAGE]   (PAGE defaults to docs/steps.md)
"""
import re
import sys
from pathlib import Path

REFERENCE = re.compile(r"`([\w./-]+\.(?:cpp|h|py)):([\w:.~]+)`")


def function_defined(text, name):
    # Class::method or free_function, followed by its parameter list.
    return re.search(r"(?<![\w:])" + re.escape(name) + r"\s*\(", text) is not None


def test_defined(text, name):
    suite, _, case = name.partition(".")
    return re.search(r"\bTEST(?:_F|_P)?\(\s*" + re.escape(suite) + r"\s*,\s*" + re.escape(case) + r"\s*\)",
                     text) is not None


def problems(source_dir, page):
    found = REFERENCE.findall(page.read_text(encoding="utf-8"))
    if not found:
        yield f"{page}: names no `file:function` at all"
    for file, name in found:
        path = source_dir / file
        if not path.is_file():
            yield f"{page.name}: `{file}:{name}`: no file {file}"
            continue
        text = path.read_text(encoding="utf-8")
        is_test = file.startswith("tests/") and "." in name and "::" not in name
        if not (test_defined(text, name) if is_test else function_defined(text, name)):
            yield f"{page.name}: `{file}:{name}`: {file} has no {'test' if is_test else 'function'} {name}"


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    source_dir = Path(sys.argv[1])
    page = Path(sys.argv[2]) if len(sys.argv) == 3 else source_dir / "docs" / "steps.md"
    errors = list(problems(source_dir, page))
    for error in errors:
        print(error)
    count = len(REFERENCE.findall(page.read_text(encoding="utf-8")))
    print(f"{count} references checked, {len(errors)} missing")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
