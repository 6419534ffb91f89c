#!/usr/bin/env python3
"""Runs the README's "Using it with OpenSSL, curl and a browser" commands as
written, so the README cannot drift from the program.

The shell block is read from README.md; continuation lines are joined; port
4433 becomes a free port (tests run in parallel), `build/` the build
directory being tested, /tmp/keys.txt a temporary file. A server command
(`build/tls12 server`, `openssl s_server`) starts in the background and
replaces the previous one; every other command must exit 0 within 30 s, and
the commands whose output says whether they worked are checked for it.

Usage: readme_commands.py SOURCE_DIR BUILD_DIR
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

# What the output of a command must contain, by a part of the command.
EXPECTED = [
    ("printf 'GET / HTTP/1.0", "HTTP/1.0 200"),
    ("curl ", "tls12 server"),
    ("openssl s_client", "Verify return code: 0 (ok)"),
    ("tls12 verify", ": OK"),
    ("tls12 show", "subject"),
    ("SSLKEYLOGFILE=", "Verification: OK"),
]


def readme_block(source_dir):
    text = open(os.path.join(source_dir, "README.md"), encoding="utf-8").read()
    section = text.split("## Using it with OpenSSL, curl and a browser", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands, current = [], ""
    for line in block.splitlines():
        line = re.sub(r"\s+#.*$", "", line) if not line.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        commands.append((current + line).strip())
        current = ""
    return commands


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def main(source_dir, build_dir):
    port = free_port()
    keys = tempfile.NamedTemporaryFile(prefix="tls12-readme-keys-", delete=False).name
    server, failures, ran = None, 0, 0
    try:
        for written in readme_block(source_dir):
            command = (written.replace("4433", str(port)).replace("build/", build_dir.rstrip("/") + "/")
                       .replace("/tmp/keys.txt", keys))
            is_server = " server " in command.split("|")[0] or "s_server" in command
            if is_server:
                if server is not None:
                    os.killpg(server.pid, 15)
                    server.wait(10)
                    time.sleep(0.2)  # the port is free again
                server = subprocess.Popen(command, shell=True, cwd=source_dir, stdin=subprocess.PIPE,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True)
                ok = wait_for_port(port)
                print(("started " if ok else "FAILED to start ") + written)
                failures += 0 if ok else 1
                continue
            ran += 1
            result = subprocess.run(command, shell=True, cwd=source_dir, stdin=subprocess.DEVNULL,
                                    capture_output=True, text=True, timeout=30)
            output = result.stdout + result.stderr
            wanted = [w for part, w in EXPECTED if part in command]
            ok = result.returncode == 0 and all(w in output for w in wanted)
            print(("ok      " if ok else "FAILED  ") + written)
            if not ok:
                failures += 1
                print("  exit %d, wanted %r, output:\n%s" % (result.returncode, wanted, output[-2000:]))
        if "CLIENT_RANDOM " not in open(keys).read():
            failures += 1
            print("FAILED  the key log has no CLIENT_RANDOM line")
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(10)
        os.unlink(keys)
    print("%d passed, %d failed" % (ran - failures, failures))
    return 1 if failures or ran < 6 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
