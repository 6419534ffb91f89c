#!/usr/bin/env python3
"""Runs examples/client.cpp and examples/server.cpp against OpenSSL's
command-line peers, as the documents' OpenSSL programs would be run: the
client against `openssl s_server`, the server against `openssl s_client`,
both with mutual TLS, and the failures they must report in one line (a
client without a certificate, a server whose key is not its certificate's).

Usage: run_examples.py CASE EXAMPLE_CLIENT EXAMPLE_SERVER PKI_DIR
CASE is one of the names in CASES below; every subprocess is bounded by a
timeout, and every server this script starts is stopped by its process id.
"""
import os
import select
import socket
import subprocess
import sys
import time

TIMEOUT = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Peer:
    """A server subprocess whose output is read while it runs, so that the
    test can wait for the line that says it is ready."""

    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        self.seen = b""

    def wait_for(self, text):
        deadline = time.monotonic() + TIMEOUT
        while text.encode() not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.process.stdout], [], [], left)[0]:
                self.process.kill()
                raise SystemExit("the server never said %r: %s" % (text, self.seen.decode(errors="replace")))
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if not chunk:
                raise SystemExit("the server exited early: " + self.seen.decode(errors="replace"))
            self.seen += chunk

    def finish(self, kill=False):
        if kill:
            self.process.kill()
        code, out = finish(self.process)
        return code, self.seen.decode(errors="replace") + out


def start(command):
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def finish(process):
    try:
        out, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    if isinstance(out, bytes):
        out = out.decode(errors="replace")
    return process.returncode, out


def s_server(pki, port, mutual):
    # -rev answers each line reversed; -naccept 1 ends after one connection.
    command = ["openssl", "s_server", "-accept", str(port), "-naccept", "1", "-rev", "-tls1_2",
               "-cert", pki("server.crt"), "-key", pki("server.key")]
    if mutual:
        command += ["-Verify", "1", "-verify_return_error", "-CAfile", pki("ca.crt")]
    peer = Peer(command)
    peer.wait_for("ACCEPT")
    return peer


def client_mutual_tls_against_s_server(client, server, pki):
    port = free_port()
    peer = s_server(pki, port, mutual=True)
    code, out = finish(start([client, "localhost", str(port), pki("ca.crt"), pki("client.crt"), pki("client.key")]))
    peer.finish()
    expect(code == 0, "client exited %d" % code, out)
    expect("tneilc 21slt eht morf olleH" in out, "no reversed reply from s_server", out)
    expect("TLSv1.2 TLS_" in out, "the client did not print the negotiated suite", out)


def client_without_certificate_is_refused(client, server, pki):
    port = free_port()
    peer = s_server(pki, port, mutual=True)
    code, out = finish(start([client, "localhost", str(port), pki("ca.crt")]))
    peer.finish()
    expect(code == 1, "client exited %d, not 1" % code, out)
    expect("client: received handshake_failure" in out, "the client did not name the alert it received", out)


def client_rejects_an_untrusted_server(client, server, pki):
    port = free_port()
    peer = s_server(pki, port, mutual=False)
    # The client's certificate is no CA: trusting it, the server's chain is unknown.
    code, out = finish(start([client, "localhost", str(port), pki("client.crt")]))
    peer.finish(kill=True)
    expect(code == 1, "client exited %d, not 1" % code, out)
    expect("sent unknown_ca" in out, "the client did not say it sent unknown_ca", out)


def server_mutual_tls_against_s_client(client, server, pki):
    port = free_port()
    ours = Peer([server, str(port), pki("server.crt"), pki("server.key"), pki("ca.crt")])
    ours.wait_for("listening")
    peer = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-servername", "localhost",
                           "-CAfile", pki("ca.crt"), "-verify_return_error", "-cert", pki("client.crt"),
                           "-key", pki("client.key"), "-quiet"],
                          input="ping\n", capture_output=True, text=True, timeout=TIMEOUT)
    code, out = ours.finish()
    expect(code == 0, "server exited %d" % code, out + peer.stdout + peer.stderr)
    expect("Hello from the tls12 server, you said: ping" in peer.stdout, "s_client did not get the reply",
           peer.stdout + peer.stderr)
    expect("client certificate verified" in out, "the server did not verify the client", out)


def server_with_the_wrong_key_says_so(client, server, pki):
    code, out = finish(start([server, str(free_port()), pki("server.crt"), pki("client.key")]))
    expect(code == 1, "server exited %d, not 1" % code, out)
    expect("does not belong to the certificate in " + pki("server.crt") in out, "no one-line reason", out)
    expect(out.count("\n") == 1, "more than one line", out)


CASES = {f.__name__: f for f in [client_mutual_tls_against_s_server, client_without_certificate_is_refused,
                                   client_rejects_an_untrusted_server, server_mutual_tls_against_s_client,
                                   server_with_the_wrong_key_says_so]}


def expect(condition, what, output):
    if not condition:
        raise SystemExit("FAILED: %s\n--- output ---\n%s" % (what, output))


def main():
    case, client, server, pki_dir = sys.argv[1:5]
    CASES[case](client, server, lambda name: os.path.join(pki_dir, name))
    print("passed:", case)


if __name__ == "__main__":
    main()
