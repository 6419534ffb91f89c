#!/usr/bin/env python3
"""Prints an illustrated page (illustrate/page.h) the way a reader would.

Usage: check_print.py PAGE.html WORKDIR

`chromium --headless --print-to-pdf` must make a real PDF of the page: a
%PDF header, a %%EOF trailer, more than MIN_BYTES bytes and at least MIN_PAGES
pages (counted by the PDF's /Type /Page objects). Then, through the DevTools
protocol (tests/illustrate/cdp.py), the page is shown with the print media
emulated (Emulation.setEmulatedMedia, which runs no script, so only the
@media print rules act): every record's field table, collapsed in its
<details> on screen, must be laid out and visible, and the info bar hidden.
On screen the same tables must be collapsed, so the rules are what expands them.
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import CHROMIUM, NO_NETWORK, Browser  # noqa: E402

MIN_BYTES = 30_000
MIN_PAGES = 3

# Field tables inside closed <details>, and how many of them are rendered.
TABLES = """(() => {
  const tables = Array.from(document.querySelectorAll('details.fieldlist table.fields'));
  return {
    tables: tables.length,
    open: document.querySelectorAll('details.fieldlist[open]').length,
    visible: tables.filter(t => t.checkVisibility() && t.getBoundingClientRect().height > 0).length,
    info: getComputedStyle(document.getElementById('info')).display,
  };
})()"""


def print_to_pdf(url, pdf, work):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
           "--disable-background-networking", "--no-pdf-header-footer", f"--print-to-pdf={pdf}"] + NO_NETWORK + [url]
    return subprocess.run(cmd, capture_output=True, timeout=30, env=dict(os.environ, HOME=work))


def check_pdf(pdf, failures):
    if not os.path.exists(pdf):
        failures.append("no PDF written")
        return
    data = open(pdf, "rb").read()
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        failures.append("the file is not a complete PDF")
    if len(data) < MIN_BYTES:
        failures.append(f"PDF of {len(data)} bytes: an empty page?")
    if pages < MIN_PAGES:
        failures.append(f"PDF of {pages} pages, expected at least {MIN_PAGES}")
    print(f"PDF: {len(data)} bytes, {pages} pages")


def check_print_media(url, work, failures):
    with Browser(work) as browser:
        browser.open(url)
        screen = browser.evaluate(TABLES)
        browser.call("Emulation.setEmulatedMedia", media="print")
        printed = browser.evaluate(TABLES)
    if screen["tables"] == 0:
        failures.append("no field table in a <details> on the page")
    if screen["open"] != 0 or screen["visible"] != 0:
        failures.append(f"on screen {screen['visible']} of {screen['tables']} field tables are already shown")
    if printed["visible"] != printed["tables"]:
        failures.append(f"printed, {printed['visible']} of {printed['tables']} field tables are shown")
    if printed["open"] != 0:
        failures.append("a script opened the <details>: the print media alone must expand them")
    if printed["info"] != "none":
        failures.append(f"printed, the info bar is shown (display {printed['info']})")
    print(f"print media: {printed['visible']} of {printed['tables']} field tables shown")


def main():
    page, work = sys.argv[1:3]
    url = "file://" + os.path.abspath(page)
    started = time.monotonic()
    failures = []
    pdf = os.path.join(work, "page.pdf")
    if os.path.exists(pdf):
        os.remove(pdf)
    printed = print_to_pdf(url, pdf, work)
    if printed.returncode != 0:
        failures.append(f"--print-to-pdf failed ({printed.returncode}): {printed.stderr.decode()[-300:]}")
    check_pdf(pdf, failures)
    check_print_media(url, work, failures)
    for f in failures:
        print("FAIL:", f)
    print(f"printing checked in {time.monotonic() - started:.1f} s, {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
