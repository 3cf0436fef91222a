#!/usr/bin/env bash
# Runs every test (unit, integration against a private mosquitto, fault drills) and ends with "N passed, M failed".
# Needs the .NET 10 SDK and mosquitto (sudo apt-get install -y mosquitto mosquitto-clients).
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  echo "mosquitto is not installed; the integration tests need it: sudo apt-get install -y mosquitto mosquitto-clients" >&2
  exit 2
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet build TasmoGuardian.slnx -c Release --nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
dotnet test TasmoGuardian.slnx -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
