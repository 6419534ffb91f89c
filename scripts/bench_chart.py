#!/usr/bin/env python3
"""Draws the ratio tables that `make bench` prints as one SVG bar chart.

Reads the saved output of bench_aead (throughput ours / OpenSSL, above 1 =
tls12 faster) and bench_hash (CPU time ours / OpenSSL, below 1 = tls12 faster,
inverted here so that every bar reads "above 1 = tls12 faster"), and writes a
horizontal bar chart with a line at 1.0 and the 0.85-1.15 band that counts as
a tie on a shared machine. Plain SVG text: no plotting package is needed.

usage: bench_chart.py OUT.svg bench_aead.txt bench_hash.txt
"""
import html
import re
import sys


def aead_rows(text):
    """(label, ratio) for the best engine of ours in each row of bench_aead's table."""
    rows = []
    lines = text.splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("algorithm dir size"))
    except StopIteration:
        return rows
    columns = lines[start].split()[3:]
    for line in lines[start + 1:]:
        m = re.match(r"^(\S+) (seal|open) (\d+)\s+(.*)$", line)
        if not m:
            break
        values = m.group(4).split()
        best = None
        for column, value in zip(columns, values):
            if column in ("openssl", "sodium", "reference") or value == "-":
                continue
            ratio = float(value)
            if best is None or ratio > best[1]:
                best = (column, ratio)
        if best:
            rows.append((f"{m.group(1)} {m.group(2)} {m.group(3)} B ({best[0]})", best[1]))
    return rows


def hash_rows(text):
    """(label, OpenSSL time / ours) for each row of bench_hash's table."""
    rows = []
    for line in text.splitlines():
        m = re.match(r"^(\S+) (\d+) B\s+([0-9.]+)\s", line)
        if m and float(m.group(3)) > 0:
            rows.append((f"{m.group(1)} {m.group(2)} B", 1.0 / float(m.group(3))))
    return rows


def svg(rows):
    bar_h, gap, label_w, plot_w, top = 16, 4, 300, 460, 40
    max_ratio = max([3.0] + [r for _, r in rows])
    x = lambda ratio: label_w + plot_w * ratio / max_ratio
    height = top + len(rows) * (bar_h + gap) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 60}" height="{height}" '
           'font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="20" font-size="14">tls12 / OpenSSL in the same run (above 1: tls12 faster)</text>',
           f'<rect x="{x(0.85):.1f}" y="{top - 6}" width="{x(1.15) - x(0.85):.1f}" '
           f'height="{height - top - 20}" fill="#eeeeee"/>']
    for i, (label, ratio) in enumerate(rows):
        y = top + i * (bar_h + gap)
        color = "#2b7bb9" if ratio >= 1.0 else ("#999999" if ratio >= 0.85 else "#d9534f")
        out.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{html.escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{x(ratio) - label_w:.1f}" height="{bar_h}" fill="{color}"/>')
        out.append(f'<text x="{x(ratio) + 4:.1f}" y="{y + 12}">{ratio:.2f}</text>')
    for tick in range(0, int(max_ratio) + 1):
        out.append(f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{height - 20}" '
                   f'stroke="{"black" if tick == 1 else "#cccccc"}"/>')
        out.append(f'<text x="{x(tick):.1f}" y="{height - 6}" text-anchor="middle">{tick}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[2]) as f:
        rows = aead_rows(f.read())
    with open(sys.argv[3]) as f:
        rows += hash_rows(f.read())
    if not rows:
        sys.exit("bench_chart.py: no ratio table found in the benchmark output")
    with open(sys.argv[1], "w") as f:
        f.write(svg(rows))
    print(f"wrote {sys.argv[1]} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
