#!/usr/bin/env python3
"""Checks scripts/bench_chart.py, the chart `make bench` draws: given tables
in the format bench_aead and bench_hash print, the SVG has one bar per row,
the best engine of ours per AEAD row, hash time ratios turned into speed
ratios (OpenSSL time / ours), and a file without tables is an error.

Usage: bench_chart_test.py SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

AEAD = """noise from the benchmark library
Throughput of ours / OpenSSL EVP in this run (above 1: tls12 faster).
algorithm dir size                  openssl    reference        aesni         vaes       sodium         avx2
AES-128-GCM seal 16384                 1.00      2.0e-04         1.20         2.79            -            -
CHACHA20-POLY1305 open 64              1.00         0.46            -            -         1.31         1.05
"""
HASH = """primitive / size        tls12/OpenSSL   tls12/sodium  portable/OpenSSL
SHA-512 16384 B                  2.00           1.00              2.15
"""


def main():
    script = os.path.join(sys.argv[1], "scripts", "bench_chart.py")
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        aead, hashes, empty, out = (os.path.join(tmp, n) for n in ("a.txt", "h.txt", "e.txt", "o.svg"))
        for path, text in ((aead, AEAD), (hashes, HASH), (empty, "no tables here\n")):
            with open(path, "w") as f:
                f.write(text)
        run = subprocess.run([sys.executable, script, out, aead, hashes], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"chart failed: {run.stderr}")
        else:
            svg = open(out).read()
            for expected in ("AES-128-GCM seal 16384 B (vaes)", ">2.79<", "CHACHA20-POLY1305 open 64 B (avx2)",
                             ">1.05<", "SHA-512 16384 B", ">0.50<"):
                if expected not in svg:
                    failures.append(f"SVG lacks {expected!r}")
            if svg.count("<rect ") != 1 + 1 + 3:  # background, tie band, three bars
                failures.append(f"expected three bars, SVG has {svg.count('<rect ') - 2}")
        run = subprocess.run([sys.executable, script, out, empty, empty], capture_output=True, text=True)
        if run.returncode == 0 or "no ratio table" not in run.stderr:
            failures.append("an output without tables was not reported as an error")
    for failure in failures:
        print("FAIL:", failure)
    print("bench_chart: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
