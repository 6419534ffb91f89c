#!/usr/bin/env python3
"""Drives an illustrated page (illustrate/page.h) with the keyboard and the mouse.

Usage: check_interaction.py PAGE.html WORKDIR

Headless Chromium, driven through the DevTools protocol (tests/illustrate/cdp.py)
with the network disabled, opens PAGE.html, a page of a client's connection
whose first record is its ClientHello (RFC 5246 §7.4.1.2). Real key events
(Input.dispatchKeyEvent) Tab to the first field of the byte grid, the record
header's type (§6.2.1), then the arrow keys move between fields; a real mouse
move (Input.dispatchMouseEvent) over a byte of ClientHello.random shows that
field. After each step the focused field, the highlighted bytes and the info
bar must all name the same field with its RFC name, value and section. The
only request the page may make is for its own file.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser  # noqa: E402

FIELDS = "Array.from(document.querySelectorAll('.grid .f'))"
# The field shown: the focused element, the info bar, and every element highlighted.
STATE = """(() => {
  const a = document.activeElement, info = document.getElementById('info');
  return {
    focused: a && a.matches('.grid .f') ? %s.indexOf(a) : -1,
    focused_f: a ? a.getAttribute('data-f') : null,
    name: info.querySelector('.n').textContent,
    value: info.querySelector('.v').textContent,
    rfc: info.querySelector('.r').textContent,
    highlighted: Array.from(document.querySelectorAll('.hl')).map(e => e.getAttribute('data-f')),
    highlighted_rows: document.querySelectorAll('table.fields tr.hl').length,
  };
})()""" % FIELDS


class Check:
    def __init__(self, browser):
        self.browser = browser
        self.failures = []

    def field(self, index):
        return self.browser.evaluate(
            f"(() => {{ const e = {FIELDS}[{index}]; return {{f: e.getAttribute('data-f'), "
            "name: e.getAttribute('data-name'), value: e.getAttribute('data-value'), rfc: e.getAttribute('data-rfc')}; })()")

    def shows(self, step, want, focused=None):
        """The info bar and the highlight show `want` (name, value, rfc); the focus is on field `focused`."""
        got = self.browser.evaluate(STATE)
        if focused is not None and got["focused"] != focused:
            self.failures.append(f"{step}: focus on field {got['focused']} ({got['focused_f']}), expected {focused}")
        for key in ("name", "value", "rfc"):
            if got[key] != want[key]:
                self.failures.append(f"{step}: info bar {key} {got[key]!r}, expected {want[key]!r}")
        if not got["highlighted"] or set(got["highlighted"]) != {want["f"]}:
            self.failures.append(f"{step}: highlighted {sorted(set(got['highlighted']))}, expected only {want['f']}")
        if got["highlighted_rows"] != 1:
            self.failures.append(f"{step}: {got['highlighted_rows']} field-table rows highlighted, expected 1")
        return got

    def expect(self, step, got, name, value, rfc):
        if (got["name"], got["value"], got["rfc"]) != (name, value, rfc):
            self.failures.append(f"{step}: field is {got['name']} = {got['value']} ({got['rfc']}), "
                                 f"expected {name} = {value} ({rfc})")


def tab_to_first_field(browser, check):
    # Tab order is document order: the links of the step list come first.
    before = browser.evaluate(
        "(() => { const first = document.querySelector('.grid .f'); return Array.from(document.querySelectorAll("
        "'a[href], [tabindex]')).filter(e => e.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)"
        ".length; })()")
    for _ in range(before + 1):
        browser.key("Tab", "Tab", 9)
    first = check.field(0)
    check.expect("Tab", first, "TLSPlaintext.type", "handshake (22)", "RFC 5246 §6.2.1")
    check.shows(f"{before + 1} x Tab", first, focused=0)


def arrows(browser, check):
    browser.key("ArrowRight", "ArrowRight", 39)
    second = check.field(1)
    check.expect("ArrowRight", second, "TLSPlaintext.version", "0x0303", "RFC 5246 §6.2.1")
    check.shows("ArrowRight", second, focused=1)
    browser.key("ArrowDown", "ArrowDown", 40)
    browser.key("ArrowDown", "ArrowDown", 40)
    fourth = check.field(3)
    check.expect("ArrowDown x2", fourth, "ClientHello.msg_type", "ClientHello", "RFC 5246 §7.4")
    check.shows("ArrowDown x2", fourth, focused=3)
    browser.key("ArrowLeft", "ArrowLeft", 37)
    check.shows("ArrowLeft", check.field(2), focused=2)
    browser.key("ArrowUp", "ArrowUp", 38)
    browser.key("ArrowUp", "ArrowUp", 38)
    browser.key("ArrowUp", "ArrowUp", 38)  # past the first field: stays there
    check.shows("ArrowUp x3", check.field(0), focused=0)


def hover(browser, check):
    index = browser.evaluate(f"{FIELDS}.findIndex(e => e.getAttribute('data-name') === 'ClientHello.random')")
    if index < 0:
        check.failures.append("no ClientHello.random in the byte grid")
        return
    box = browser.evaluate(
        f"(() => {{ const e = {FIELDS}[{index}]; e.scrollIntoView({{block: 'center'}}); "
        "const r = e.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()")
    browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=box["x"], y=box["y"])
    random = check.field(index)
    got = check.shows("mouse over ClientHello.random", random)
    if len(got["value"].replace(" ", "")) != 64:
        check.failures.append(f"ClientHello.random shown as {got['value']!r}, expected 32 bytes of hex")
    if got["rfc"] != "RFC 5246 §7.4.1.2":
        check.failures.append(f"ClientHello.random's section {got['rfc']!r}")


def main():
    page, work = sys.argv[1:3]
    url = "file://" + os.path.abspath(page)
    started = time.monotonic()
    with Browser(work) as browser:
        browser.open(url)
        check = Check(browser)
        tab_to_first_field(browser, check)
        arrows(browser, check)
        hover(browser, check)
        requests = browser.requests()
        if requests != [url]:
            check.failures.append(f"requests made: {requests[:5]}, expected only the page itself")
    for f in check.failures:
        print("FAIL:", f)
    print(f"keyboard and hover checked in {time.monotonic() - started:.1f} s, {len(check.failures)} failures")
    sys.exit(1 if check.failures else 0)


if __name__ == "__main__":
    main()
