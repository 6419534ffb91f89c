#!/usr/bin/env python3
"""Checks an illustrated page (illustrate/page.h) the way a browser shows it.

Usage: check_page.py PAGE.html EXPECTED.json WORKDIR

Headless Chromium, with the network disabled, loads PAGE.html, dumps its DOM
and takes a screenshot. The DOM must hold every record of EXPECTED.json (the
values the test program knew): its lane, its wire bytes in the byte grid, its
plaintext for a protected record, and every handshake field with its decoded
value; the secrets must be shown or redacted as EXPECTED.json says. The page
file itself may name no external resource (src, href or url() that leave it).
The screenshot must be a real PNG of the asked size.
"""
import json
import os
import re
import struct
import subprocess
import sys
from html.parser import HTMLParser

CHROMIUM = "/usr/bin/chromium"
# No request may leave: an unreachable proxy for everything but loopback.
NO_NETWORK = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
WIDTH, HEIGHT = 1280, 2000


def chromium(args, home, timeout=20):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--disable-background-networking"] + NO_NETWORK + args
    env = dict(os.environ, HOME=home)
    return subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)


class Dom(HTMLParser):
    """Records, their grids' text, and the rows of their field tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.records = {}        # id -> {"attrs", "grids": {part: text}, "rows": [(name, value)]}
        self.stack = []          # open tags: (tag, record id, grid part, cell class)
        self.current_row = None
        self.text = []

    def _context(self):
        rec = next((s[1] for s in reversed(self.stack) if s[1]), None)
        part = next((s[2] for s in reversed(self.stack) if s[2]), None)
        cell = next((s[3] for s in reversed(self.stack) if s[3]), None)
        return rec, part, cell

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rec = part = cell = None
        if tag == "section" and "rec" in (a.get("class") or "").split():
            rec = a["id"]
            self.records[rec] = {"attrs": a, "grids": {}, "rows": []}
        if tag == "div" and "grid" in (a.get("class") or "").split():
            part = a.get("data-part")
        if tag == "tr" and a.get("data-f"):
            self.current_row = {"n": "", "v": ""}
            r, _, _ = self._context()
            if r:
                self.records[r]["rows"].append(self.current_row)
        if tag == "td" and a.get("class") in ("n", "v"):
            cell = a["class"]
        if tag in ("br", "meta", "img", "link", "input"):
            return
        self.stack.append((tag, rec, part, cell))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        rec, part, cell = self._context()
        if rec and part:
            grids = self.records[rec]["grids"]
            grids[part] = grids.get(part, "") + data
        if cell and self.current_row is not None:
            self.current_row[cell] += data
        self.text.append(data)


def external_references(html):
    refs = re.findall(r'\b(?:src|href|action|poster|data)\s*=\s*["\']?([^"\' >]*)', html, re.I)
    refs += re.findall(r'url\(\s*["\']?([^)"\']*)', html, re.I)
    refs += re.findall(r'@import\s+["\']?([^;"\']*)', html, re.I)
    return [r for r in refs if not r.startswith("#")] + re.findall(r'(?:https?|ftp|wss?):/', html)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise AssertionError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def hexes(text):
    return "".join(re.findall(r"[0-9a-f]{2}", text))


def main():
    page, expected_file, work = sys.argv[1:4]
    expected = json.load(open(expected_file))
    html = open(page, encoding="utf-8").read()
    failures = []

    refs = external_references(html)
    if refs:
        failures.append(f"the page names external resources: {refs[:5]}")

    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    url = "file://" + os.path.abspath(page)
    dumped = chromium(["--dump-dom", url], home)
    if dumped.returncode != 0 or not dumped.stdout:
        sys.exit(f"chromium --dump-dom failed ({dumped.returncode}): {dumped.stderr.decode()[-500:]}")
    dom = Dom()
    dom.feed(dumped.stdout.decode("utf-8"))

    records = [dom.records.get(f"rec-{i + 1}") for i in range(len(expected["records"]))]
    if len(dom.records) != len(expected["records"]):
        failures.append(f"{len(dom.records)} records in the DOM, expected {len(expected['records'])}")
    for i, (want, got) in enumerate(zip(expected["records"], records)):
        where = f"record #{i + 1}"
        if got is None:
            failures.append(f"{where}: missing")
            continue
        if got["attrs"].get("data-from") != want["from"]:
            failures.append(f"{where}: lane {got['attrs'].get('data-from')}, expected {want['from']}")
        if hexes(got["grids"].get("wire", "")) != want["wire"]:
            failures.append(f"{where}: wire bytes differ")
        if want["protected"] and hexes(got["grids"].get("plaintext", "")) != want["plaintext"]:
            failures.append(f"{where}: plaintext bytes differ")
        rows = {(r["n"], r["v"]) for r in got["rows"]}
        for name, value in want["fields"]:
            if (name, value) not in rows:
                failures.append(f"{where}: field {name} = {value[:60]!r} not in the page")

    text = "".join(dom.text)
    for secret in filter(None, expected["secrets"]):
        spaced = " ".join(secret[i:i + 2] for i in range(0, len(secret), 2))
        shown = spaced in text
        if shown != expected["show_secrets"]:
            failures.append(f"secret {secret[:16]}... {'shown' if shown else 'not shown'} against the options")
    if not expected["show_secrets"] and "redacted (48 bytes)" not in text:
        failures.append("the master secret is not marked redacted (48 bytes)")

    shot = os.path.join(work, "page.png")
    taken = chromium([f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars", url], home)
    if taken.returncode != 0 or not os.path.exists(shot):
        failures.append(f"no screenshot ({taken.returncode}): {taken.stderr.decode()[-300:]}")
    else:
        size = png_size(shot)
        if size != (WIDTH, HEIGHT):
            failures.append(f"screenshot is {size}, asked {WIDTH}x{HEIGHT}")
        if os.path.getsize(shot) < 20000:
            failures.append(f"screenshot of {os.path.getsize(shot)} bytes: an empty page?")

    for f in failures:
        print("FAIL:", f)
    checked = sum(len(r["fields"]) for r in expected["records"])
    print(f"{len(expected['records'])} records, {checked} fields checked, {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
