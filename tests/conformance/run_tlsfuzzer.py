#!/usr/bin/env python3
"""Runs tlsfuzzer's TLS 1.2 server conformance scripts against `tls12 server`.

tlsfuzzer sends well-formed and deliberately broken TLS messages to a server
and checks the exact answer (message, alert or close), so a line of
tests/conformance/tlsfuzzer.txt pins how tls12's server side answers one
family of RFC 5246 (and extension RFC) cases. See docs/testing.md.

The runner starts the `tls12 server` instances the listed lines need on free
127.0.0.1 ports, runs each line with its own time bound, prints PASS/FAIL per
line and 'N passed, N failed', exits 1 on any failure, and stops every process
it started, also when it is interrupted.

  run_tlsfuzzer.py [--tls12 build/tls12] [--tag ci] [--jobs N] [--after-fix] [FILTER...]

tlsfuzzer and tlslite-ng are read in place from $TLS12_TLSFUZZER_DIR
(default: ../shared/tools next to the repository); they are never copied.
"""
import argparse
import concurrent.futures
import ctypes
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_LIST = os.path.join(REPO, "tests", "conformance", "tlsfuzzer.txt")
AFTER_FIX = "# after-fix:"

# The servers a line can name. All but "echo" answer HTTP (--www), which is
# what most tlsfuzzer scripts send as application data; a few expect their
# data back. "{pki}" is a demo PKI that `tls12 pki quick` makes in the run's
# scratch directory "{tmp}" (the Ed25519 and P-256 identities are made there
# too).
SERVERS = {
    "www": ["--cert", "{pki}/server.bundle.crt", "--key", "{pki}/server.key", "--www"],
    "ed25519": ["--cert", "{tmp}/ed25519.crt", "--key", "{tmp}/ed25519.key", "--www"],
    "p256": ["--cert", "{tmp}/p256.crt", "--key", "{tmp}/p256.key", "--www"],
    "client-optional": ["--cert", "{pki}/server.bundle.crt", "--key", "{pki}/server.key", "--www",
                        "--ca", "{pki}/ca.crt", "--verify-client", "optional"],
    "client-required": ["--cert", "{pki}/server.bundle.crt", "--key", "{pki}/server.key", "--www",
                        "--ca", "{pki}/ca.crt", "--verify-client", "required"],
    "echo": ["--cert", "{pki}/server.bundle.crt", "--key", "{pki}/server.key", "--echo"],
}


class Line:
    """One line of the list: tags, server, time bound, expected result, script and arguments."""

    def __init__(self, number, text, after_fix):
        self.number = number
        self.after_fix = after_fix
        body, _, self.comment = text.partition(" #")
        fields = shlex.split(body)
        if len(fields) < 5:
            raise ValueError(f"line {number}: expected 'TAGS SERVER SECONDS EXPECT SCRIPT [ARGS]'")
        tags, self.server, seconds, self.expect, self.script = fields[:5]
        self.args = fields[5:]
        self.tags = set() if tags == "-" else set(tags.split(","))
        if self.server not in SERVERS:
            raise ValueError(f"line {number}: unknown server '{self.server}'")
        self.seconds = int(seconds)
        if not re.fullmatch(r"pass|xfail=\d+", self.expect):
            raise ValueError(f"line {number}: expected result must be 'pass' or 'xfail=N'")
        if not re.fullmatch(r"test-[A-Za-z0-9_-]+\.py", self.script):
            raise ValueError(f"line {number}: '{self.script}' is not a tlsfuzzer script name")

    def name(self):
        return " ".join([self.script] + [shlex.quote(a) for a in self.args])

    def expected_xfail(self):
        return int(self.expect.split("=")[1]) if self.expect.startswith("xfail=") else 0


def joined_lines(path):
    """(number, text) per logical line: a line ending in a backslash continues on the next."""
    with open(path, encoding="utf-8") as f:
        raw = f.read().split("\n")
    number = 0
    while number < len(raw):
        start, text = number + 1, raw[number].strip()
        while text.endswith("\\") and number + 1 < len(raw):
            number += 1
            text = text[:-1] + " " + raw[number].strip().lstrip("#").strip()
        number += 1
        yield start, text


def read_list_with_after_fix(path):
    """The listed lines plus the commented-out ones under a '# after-fix:'
    marker (every commented line up to the next line that is not one)."""
    lines, pending = [], False
    for number, text in joined_lines(path):
        if text.startswith(AFTER_FIX):
            pending = True
        elif pending and text.startswith("#"):
            lines.append(Line(number, text.lstrip("#").strip(), True))
        else:
            pending = False
            if text and not text.startswith("#"):
                lines.append(Line(number, text, False))
    return lines


def python_with_ecdsa():
    """tlslite-ng needs the ecdsa module (Debian: python3-ecdsa)."""
    candidates = [os.environ.get("TLS12_PYTHON"), sys.executable, "/usr/bin/python3"]
    for python in [c for c in candidates if c]:
        probe = subprocess.run([python, "-c", "import ecdsa"], capture_output=True)
        if probe.returncode == 0:
            return python
    sys.exit("run_tlsfuzzer: no python3 with the ecdsa module (install python3-ecdsa, or set TLS12_PYTHON)")


try:
    LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:
    LIBC = None


def die_with_parent():
    """Runs in the child between fork and exec: its own process group (so a
    script's helpers are stopped with it), and SIGTERM when the thread that
    started it dies, so that even a SIGKILLed runner leaves nothing behind.
    Kept to two system calls: the child of a threaded parent may run little."""
    os.setsid()
    if LIBC is not None:
        LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Processes:
    """Every process the runner started, so that all are stopped at the end."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = []
        self.stopping = False

    def start(self, argv, **kwargs):
        proc = subprocess.Popen(argv, preexec_fn=die_with_parent, **kwargs)
        with self.lock:
            self.running.append(proc)
        return proc

    def stop(self, proc):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        with self.lock:
            if proc in self.running:
                self.running.remove(proc)

    def signal_all(self):
        """From a signal handler: no lock (the interrupted thread may hold it)."""
        self.stopping = True
        for proc in list(self.running):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def stop_all(self):
        with self.lock:
            procs = list(self.running)
        for proc in procs:
            self.stop(proc)


class Server:
    """One `tls12 server` on a port the kernel chose (--port 0)."""

    def __init__(self, name, argv, processes, log_path):
        self.name = name
        self.log = open(log_path, "w+", encoding="utf-8", errors="replace")
        self.proc = processes.start(argv + ["--port", "0", "--bind", "127.0.0.1"],
                                    stdout=self.log, stderr=subprocess.STDOUT)
        self.port = self.wait_for_port()

    def wait_for_port(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.log.seek(0)
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", self.log.read())
            if m:
                return int(m.group(1))
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.log.seek(0)
        raise RuntimeError(f"server '{self.name}' did not start: {self.log.read()[-2000:]}")

    def alive(self):
        return self.proc.poll() is None


# Self-signed identities for the ECDHE_ECDSA suites, made on first use:
# Ed25519 (RFC 8422 §5.10, RFC 8032) and ECDSA on P-256 (RFC 8422 §5.4).
IDENTITY_KEYS = {"ed25519": ["-newkey", "ed25519"],
                 "p256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]}


def make_identity(tmp, name):
    subprocess.run(["openssl", "req", "-x509"] + IDENTITY_KEYS[name] + ["-nodes", "-days", "30",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", os.path.join(tmp, name + ".key"), "-out", os.path.join(tmp, name + ".crt")],
                   check=True, capture_output=True)


def summary_counts(output):
    counts = {}
    for key in ("PASS", "FAIL", "XFAIL", "XPASS", "SKIP", "TOTAL"):
        m = re.findall(rf"^{key}: (\d+)$", output, re.M)
        if m:
            counts[key] = int(m[-1])
    return counts


def listed_probes(output, heading):
    """The probe names a script lists under FAILED: or XPASSED:."""
    m = re.search(rf"^{heading}:\n((?:\t.*\n?)*)", output, re.M)
    return [p.strip() for p in m.group(1).splitlines()] if m else []


def judge(line, returncode, output):
    """'' if the line met its expected result, else why not."""
    counts = summary_counts(output)
    if "PASS" not in counts:
        return f"no summary (exit {returncode}): {output.strip().splitlines()[-1:] or ['no output']}"
    if returncode != 0 or counts.get("FAIL") or counts.get("XPASS"):
        probes = listed_probes(output, "FAILED") + listed_probes(output, "XPASSED")
        return (f"FAIL {counts.get('FAIL', 0)} XPASS {counts.get('XPASS', 0)}: " + ", ".join(probes[:12]) +
                (f" (+{len(probes) - 12} more)" if len(probes) > 12 else ""))
    if counts.get("PASS", 0) == 0:
        return "no probe passed"
    if counts.get("XFAIL", 0) != line.expected_xfail():
        return f"expected {line.expect}, got XFAIL {counts.get('XFAIL', 0)}"
    return ""


class Runner:
    def __init__(self, opts, tmp):
        self.opts = opts
        self.tmp = tmp
        self.processes = Processes()
        self.servers = {}
        self.server_lock = threading.Lock()
        self.python = python_with_ecdsa()
        self.deadline = time.monotonic() + opts.deadline
        self.tools = opts.tools
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(
            [os.path.join(self.tools, "tlsfuzzer"), os.path.join(self.tools, "tlslite-ng")])
        self.pki = os.path.join(tmp, "pki")
        subprocess.run([opts.tls12, "pki", "quick", self.pki], check=True, capture_output=True)

    def expand(self, text):
        return text.replace("{pki}", self.pki).replace("{tmp}", self.tmp)

    def server(self, name):
        with self.server_lock:
            server = self.servers.get(name)
            if server is None or not server.alive():
                if name in IDENTITY_KEYS and not os.path.exists(os.path.join(self.tmp, name + ".key")):
                    make_identity(self.tmp, name)
                argv = [self.opts.tls12, "server"] + [self.expand(a) for a in SERVERS[name]]
                server = Server(name, argv, self.processes, os.path.join(self.tmp, f"server-{name}.log"))
                self.servers[name] = server
            return server

    def run_line(self, line):
        start = time.monotonic()
        remaining = self.deadline - start
        if self.processes.stopping:
            return line, "not run: the run was interrupted", 0.0, ""
        if remaining <= 1:
            return line, "not run: the run's --deadline had passed", 0.0, ""
        try:
            server = self.server(line.server)
        except RuntimeError as e:
            return line, str(e), 0.0, ""
        module = "tlsfuzzer._apps." + line.script[:-3].replace("-", "_")
        argv = [self.python, "-m", module, "-h", "127.0.0.1", "-p", str(server.port)]
        argv += [self.expand(a) for a in line.args]
        proc = self.processes.start(argv, cwd=os.path.join(self.tools, "tlsfuzzer"), env=self.env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            output, _ = proc.communicate(timeout=min(line.seconds, remaining))
            verdict = judge(line, proc.returncode, output)
        except subprocess.TimeoutExpired:
            self.processes.stop(proc)
            output, _ = proc.communicate()
            verdict = (f"time bound of {line.seconds} s exceeded" if line.seconds <= remaining
                       else "the run's --deadline passed")
        self.processes.stop(proc)
        if not server.alive():
            verdict = (verdict + "; " if verdict else "") + f"server '{server.name}' exited ({server.proc.returncode})"
        return line, verdict, time.monotonic() - start, output

    def report(self, line, verdict, seconds, output):
        word = "PASS" if not verdict else "FAIL"
        mark = " [after-fix]" if line.after_fix else ""
        print(f"{word} {line.name()} [{line.server}, {seconds:.0f} s]{mark}" + (f": {verdict}" if verdict else ""),
              flush=True)
        if self.opts.log_dir:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", line.name())[:150]
            with open(os.path.join(self.opts.log_dir, f"{line.number:03d}-{name}.log"), "w") as f:
                f.write(output)
        if verdict and self.opts.verbose:
            print("\n".join("    " + l for l in output.splitlines()[-60:]), flush=True)

    def run(self, lines):
        passed = failed = 0
        # Started here, in the main thread, which lives as long as the run:
        # PR_SET_PDEATHSIG follows the starting thread, not the process.
        for name in sorted({line.server for line in lines}):
            self.server(name)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=self.opts.jobs)
        try:
            for line, verdict, seconds, output in pool.map(self.run_line, lines):
                self.report(line, verdict, seconds, output)
                if verdict:
                    failed += 1
                else:
                    passed += 1
        finally:
            # Interrupted: the lines not started are dropped, the running ones
            # end as soon as their processes are stopped.
            pool.shutdown(wait=True, cancel_futures=True)
        print(f"{passed} passed, {failed} failed", flush=True)
        return failed == 0


def parse_args():
    default_tools = os.environ.get("TLS12_TLSFUZZER_DIR", os.path.join(os.path.dirname(REPO), "shared", "tools"))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tls12", default=os.path.join(REPO, "build", "tls12"), help="the tls12 program")
    p.add_argument("--list", default=DEFAULT_LIST, help="the list of tlsfuzzer lines")
    p.add_argument("--tools", default=default_tools,
                   help="directory holding tlsfuzzer/ and tlslite-ng/ (env TLS12_TLSFUZZER_DIR)")
    p.add_argument("--tag", help="run only the lines carrying this tag (e.g. ci)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="lines run at once")
    p.add_argument("--after-fix", action="store_true",
                   help="also run the commented-out lines marked '# after-fix:'")
    p.add_argument("--verbose", "-v", action="store_true", help="print the end of a failing script's output")
    p.add_argument("--deadline", type=float, default=24 * 3600,
                   help="seconds for the whole run; lines not finished by then fail")
    p.add_argument("--log-dir", help="write each line's whole output to a file here")
    p.add_argument("filters", nargs="*", help="run only lines whose script or arguments contain one of these")
    return p.parse_args()


def main():
    opts = parse_args()
    for path, what in ((opts.tls12, "the tls12 program"),
                       (os.path.join(opts.tools, "tlsfuzzer", "tlsfuzzer"), "tlsfuzzer"),
                       (os.path.join(opts.tools, "tlslite-ng", "tlslite"), "tlslite-ng")):
        if not os.path.exists(path):
            sys.exit(f"run_tlsfuzzer: {what} not found at {path} (see docs/testing.md)")
    try:
        lines = read_list_with_after_fix(opts.list)
    except (OSError, ValueError) as e:
        sys.exit(f"run_tlsfuzzer: {opts.list}: {e}")
    if not opts.after_fix:
        lines = [l for l in lines if not l.after_fix]
    if opts.tag:
        lines = [l for l in lines if opts.tag in l.tags]
    if opts.filters:
        lines = [l for l in lines if any(f in l.name() for f in opts.filters)]
    if not lines:
        sys.exit("run_tlsfuzzer: no line selected")

    if opts.log_dir:
        os.makedirs(opts.log_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tls12-tlsfuzzer-") as tmp:
        runner = Runner(opts, tmp)
        # SIGTERM (CTest's timeout, make interrupted) ends the run through the
        # finally below, which stops the servers and scripts.
        def interrupted(signum, frame):
            runner.processes.signal_all()
            sys.exit(1)
        signal.signal(signal.SIGTERM, interrupted)
        signal.signal(signal.SIGINT, interrupted)
        try:
            ok = runner.run(lines)
        finally:
            runner.processes.stop_all()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
