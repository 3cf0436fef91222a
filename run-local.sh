#!/usr/bin/env bash
# Runs Tasmo Guardian on this machine against the broker on localhost:1883, starting a private mosquitto there when
# none listens. State and backups go to .local/ (options in .local/options.json, made on the first run).
#   ./run-local.sh          your own devices (edit .local/options.json)
#   ./run-local.sh --demo   simulated devices of all nine kinds, answering as their firmware does; no root needed
set -euo pipefail
cd "$(dirname "$0")"

demo=false
[ "${1:-}" = "--demo" ] && demo=true
mkdir -p .local/data .local/backups

if [ "$demo" = false ] && [ ! -f .local/options.json ]; then
  cat > .local/options.json <<JSON
{
  "mqtt_host": "localhost",
  "mqtt_port": 1883,
  "backup_dir": "$PWD/.local/backups",
  "schedule": "",
  "devices": []
}
JSON
  echo "Wrote .local/options.json; edit it to add your devices or a web password."
fi

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
  if [ ! -x "$mosquitto_bin" ]; then
    echo "Nothing listens on localhost:1883 and mosquitto is not installed: sudo apt-get install -y mosquitto mosquitto-clients" >&2
    exit 1
  fi
  printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\n%s\n' "$( [ "$(id -u)" = 0 ] && echo 'user root')" > .local/mosquitto.conf
  "$mosquitto_bin" -c .local/mosquitto.conf >.local/mosquitto.log 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 0.1; done
  echo "Started a private mosquitto on localhost:1883 (log in .local/mosquitto.log)."
fi

options=.local/options.json
data=.local/data
if [ "$demo" = true ]; then
  # A development aid, not part of the add-on: one simulated device of each kind on free ports of 127.0.0.1.
  options=.local/demo/options.json
  data=.local/demo/data
  rm -f "$options"
  mkdir -p .local/demo
  dotnet build tools/TasmoGuardian.Demo -c Release --nologo -v quiet >/dev/null
  dotnet run --no-build --project tools/TasmoGuardian.Demo -c Release -- --broker 127.0.0.1:1883 --folder .local/demo &
  pids+=($!)
  for _ in $(seq 300); do [ -f "$options" ] && break; sleep 0.1; done
  [ -f "$options" ] || { echo "The simulated devices did not start." >&2; exit 1; }
fi

dotnet run --project src/TasmoGuardian -c Release -- --options "$options" --data-dir "$data"
