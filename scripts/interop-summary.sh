#!/usr/bin/env bash
# Prints the OpenSSL interop matrix as a table after a CTest run. Each matrix case
# is its own CTest process and prints its own row; CTest keeps every test's
# output in Testing/Temporary/LastTest.log, from which the rows are gathered.
set -euo pipefail
log="${1:-build}/Testing/Temporary/LastTest.log"
[ -f "$log" ] || exit 0
rows=$(grep -E '^\| (our client|s_client|s_server).* \| (pass|FAIL) \|$' "$log" | sort -u || true)
[ -n "$rows" ] || exit 0
echo
echo "OpenSSL interop matrix ($(printf '%s\n' "$rows" | wc -l) cases)"
echo "| side | suite | authentication | handshake | OpenSSL said | result |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "$rows"
