#!/usr/bin/env python3
"""Checks the installed package the way another project uses it.

  package_test.py cmake      SOURCE_DIR BUILD_DIR PKI_DIR [FLAGS]
      installs BUILD_DIR to a temporary prefix (cmake --install), builds
      examples/ as a project of its own with find_package(tls12), and runs
      the two programs it made against each other with mutual TLS.
  package_test.py pkg-config SOURCE_DIR BUILD_DIR PKI_DIR [FLAGS]
      installs likewise and compiles a tiny program with
      `pkg-config --cflags --libs tls12`, then runs it.

FLAGS are compiler and linker flags the consumer needs too (the sanitizer
build's -fsanitize=..., since its static libraries are instrumented).
The consumer is compiled by $CXX when set (the compiler that built the
package: a sanitizer runtime only links with its own compiler's), else c++.
A missing install step (a header, a library, the package files) fails here.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

TIMEOUT = 300

TINY_PROGRAM = r"""
// Built against the installed tls12 with pkg-config flags only.
#include <tls12/tls12.h>

#include <iostream>

int main(int argc, char** argv) {
  tls12::Context client = tls12::Context::client();
  client.load_verify_file(argv[1]).cipher_suites({"ECDHE-RSA-AES128-GCM-SHA256"}).groups({"X25519"});
  try {
    tls12::Context::server().use_certificate_chain_file(argv[2]).use_private_key_file(argv[3]);
  } catch (const tls12::Error& e) {
    std::cout << "refused: " << e.what() << "\n";
    return 0;
  }
  return 1;
}
"""


def run(command, **kwargs):
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)
    if result.returncode != 0:
        raise SystemExit("FAILED (%d): %s\n%s%s" % (result.returncode, " ".join(command), result.stdout,
                                                     result.stderr))
    return result.stdout


def install(build_dir, prefix):
    run(["cmake", "--install", build_dir, "--prefix", prefix])
    for path in ["include/tls12/tls12.h", "include/tls12/protocol/connection.h"]:
        if not os.path.exists(os.path.join(prefix, path)):
            raise SystemExit("FAILED: %s was not installed" % path)


def check_cmake(source_dir, prefix, work, pki, flags):
    build = os.path.join(work, "examples-build")
    run(["cmake", "-S", os.path.join(source_dir, "examples"), "-B", build, "-DCMAKE_BUILD_TYPE=Release",
         "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_CXX_FLAGS=" + flags, "-DCMAKE_EXE_LINKER_FLAGS=" + flags])
    run(["cmake", "--build", build, "-j2"])
    port = free_port()
    server = subprocess.Popen([os.path.join(build, "example_server"), str(port), pki("server.crt"),
                               pki("server.key"), pki("ca.crt")], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_listening(port, server)
        out = run([os.path.join(build, "example_client"), "localhost", str(port), pki("ca.crt"), pki("client.crt"),
                   pki("client.key")])
    finally:
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    if "Hello from the tls12 server, you said: Hello from the tls12 client" not in out:
        raise SystemExit("FAILED: the examples built against the package did not talk:\n" + out)


def check_pkg_config(prefix, work, pki, flags):
    pc_dirs = glob.glob(os.path.join(prefix, "**", "pkgconfig"), recursive=True)
    if not pc_dirs:
        raise SystemExit("FAILED: no pkgconfig directory was installed")
    env = dict(os.environ, PKG_CONFIG_PATH=":".join(pc_dirs))
    pkg_flags = run(["pkg-config", "--cflags", "--libs", "tls12"], env=env).split()
    source = os.path.join(work, "tiny.cpp")
    with open(source, "w") as f:
        f.write(TINY_PROGRAM)
    program = os.path.join(work, "tiny")
    run([os.environ.get("CXX", "c++"), source, "-o", program] + flags.split() + pkg_flags)
    out = run([program, pki("ca.crt"), pki("server.crt"), pki("client.key")])
    if "refused: " not in out or "does not belong" not in out:
        raise SystemExit("FAILED: the pkg-config program did not report the mismatched key:\n" + out)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The example server prints "listening" once it listens; connecting to test
# it would use up its one connection.
def wait_until_listening(port, server):
    line = server.stdout.readline()
    if "listening" not in line:
        raise SystemExit("FAILED: the example server did not start: " + line + server.stdout.read())


def main():
    mode, source_dir, build_dir, pki_dir = sys.argv[1:5]
    flags = sys.argv[5] if len(sys.argv) > 5 else ""
    pki = lambda name: os.path.join(pki_dir, name)
    work = tempfile.mkdtemp(prefix="tls12-package-")
    try:
        prefix = os.path.join(work, "prefix")
        install(build_dir, prefix)
        if mode == "cmake":
            check_cmake(source_dir, prefix, work, pki, flags)
        else:
            check_pkg_config(prefix, work, pki, flags)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("passed:", mode)


if __name__ == "__main__":
    main()
