#!/usr/bin/env python3
"""`tls12 server --www --illustrate-self` seen from a real browser.

Usage: check_illustrate_self.py TLS12 WORKDIR

Makes a PKI with `tls12 pki quick`, trusts its CA in an NSS database in a
throwaway $HOME, starts the server (which also writes each connection's page
with --illustrate), and lets headless Chromium fetch https://127.0.0.1:PORT/.
The DOM Chromium got must be the page of its own connection: the ClientHello
(RFC 5246 §7.4.1.2) with Chromium's cipher-suite list, at least one GREASE
value (RFC 8701: 0x?A?A) named "GREASE (0x?a?a)" among the cipher suites,
the extensions, the supported groups and the signature algorithms, and none drawn as unknown, the notice that the secrets are shown, and the
same ClientHello the server drew for that connection in its own file.
"""
import glob
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser

CHROMIUM = "/usr/bin/chromium"
GREASE = re.compile(r"GREASE \(0x([0-9a-f])a\1a\)")
# A GREASE value drawn as merely unknown, in hex or decimal (RFC 8701 values must be named).
UNKNOWN = re.compile(r"unknown\((0x[0-9a-f]+|[0-9]+)\)")


def unnamed_grease(text):
    values = (int(v, 0) for v in UNKNOWN.findall(text))
    return any(v & 0x0f0f == 0x0a0a and v >> 8 == v & 0xff for v in values)


class ClientHello(HTMLParser):
    """The rows of the first record's field table: {name: value}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_first = False
        self.depth = 0
        self.cell = None
        self.row = None
        self.fields = {}
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("id") == "rec-1":
            self.in_first = True
            self.depth = 0
        if self.in_first and tag == "section":
            self.depth += 1
        if self.in_first and tag == "tr" and a.get("data-f"):
            self.row = {"n": "", "v": ""}
        if self.in_first and tag == "td" and a.get("class") in ("n", "v"):
            self.cell = a["class"]

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        if tag == "tr" and self.row is not None:
            self.fields.setdefault(self.row["n"], self.row["v"])
            self.row = None
        if self.in_first and tag == "section":
            self.depth -= 1
            if self.depth == 0:
                self.in_first = False

    def handle_data(self, data):
        self.text.append(data)
        if self.row is not None and self.cell:
            self.row[self.cell] += data


def parse(html):
    p = ClientHello()
    p.feed(html)
    return p


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30, **kw)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stdout}{r.stderr}")
    return r


def main():
    tls12, work = sys.argv[1:3]
    pki = os.path.join(work, "pki")
    home = os.path.join(work, "home")
    nssdb = os.path.join(home, ".pki", "nssdb")
    os.makedirs(nssdb, exist_ok=True)
    for old in glob.glob(os.path.join(work, "served-*.html")) + glob.glob(os.path.join(nssdb, "*")):
        os.remove(old)
    run([tls12, "pki", "quick", "--force", pki])
    run(["certutil", "-d", "sql:" + nssdb, "-N", "--empty-password"])
    run(["certutil", "-d", "sql:" + nssdb, "-A", "-t", "C,,", "-n", "tls12", "-i", os.path.join(pki, "ca.crt")])

    pages = os.path.join(work, "served.html")
    server = subprocess.Popen([tls12, "server", "--port", "0", "--cert", os.path.join(pki, "server.bundle.crt"),
                               "--key", os.path.join(pki, "server.key"), "--www", "--illustrate-self",
                               "--illustrate", pages, "--quiet"],
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        port = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not port:
            sys.exit(f"the server did not start: {line}")
        url = f"https://127.0.0.1:{port.group(1)}/"
        # Every request but loopback goes to an unreachable proxy: nothing leaves the machine.
        browser = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                  "--disable-extensions", "--disable-background-networking",
                                  "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1",
                                  "--dump-dom", url],
                                 capture_output=True, timeout=20, env=dict(os.environ, HOME=home))
        # The server writes a connection's page when that connection ends,
        # which may come just after Chromium has its page: wait for it (a
        # deadline, not a guess) before stopping the server.
        wanted = parse(browser.stdout.decode("utf-8", "replace")).fields.get("ClientHello.random")
        deadline = time.monotonic() + 10
        while wanted and time.monotonic() < deadline and not any(
                parse(open(f, encoding="utf-8").read()).fields.get("ClientHello.random") == wanted
                for f in glob.glob(os.path.join(work, "served-*.html"))):
            time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    dom = browser.stdout.decode("utf-8", "replace")
    failures = []
    seen = parse(dom)
    suites = seen.fields.get("ClientHello.cipher_suites", "")
    random = seen.fields.get("ClientHello.random", "")
    if not suites:
        sys.exit(f"no ClientHello.cipher_suites in the page Chromium got ({browser.returncode}):\n"
                 f"{dom[:800]}\n{browser.stderr.decode()[-800:]}")
    if not GREASE.search(suites):
        failures.append(f"no GREASE value among Chromium's cipher suites: {suites}")
    if not any(GREASE.fullmatch(name[len("ClientHello.extensions."):]) for name in seen.fields
               if name.startswith("ClientHello.extensions.")):
        failures.append(f"no GREASE extension named among {sorted(seen.fields)}")
    for listed in ("supported_groups", "signature_algorithms"):
        values = seen.fields.get("ClientHello.extensions." + listed, "")
        if not GREASE.search(values):
            failures.append(f"no GREASE value among Chromium's {listed}: {values}")
    unnamed = [f"{n} = {v}" for n, v in seen.fields.items() if unnamed_grease(n + " " + v)]
    if unnamed:
        failures.append(f"GREASE values drawn as unknown: {unnamed}")
    if "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" not in suites:
        failures.append(f"Chromium's cipher suites lack TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: {suites}")
    if "shows the secrets of the very connection" not in "".join(seen.text):
        failures.append("the page does not say that it shows the connection's secrets")

    # The server's own page of that connection (found by its ClientHello.random).
    drawn = [parse(open(f, encoding="utf-8").read()).fields for f in sorted(glob.glob(os.path.join(work, "served-*.html")))]
    same = [f for f in drawn if f.get("ClientHello.random") == random]
    if len(same) != 1:
        failures.append(f"{len(same)} server pages for the connection with random {random[:16]}... "
                        f"({len(drawn)} pages written)")
    elif same[0].get("ClientHello.cipher_suites") != suites:
        failures.append("the server drew other cipher suites than the page Chromium got")

    for f in failures:
        print("FAIL:", f)
    print(f"Chromium offered: {suites}")
    print(f"{len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
