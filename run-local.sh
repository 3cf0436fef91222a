#!/usr/bin/env bash
# Runs Tasmo Guardian on this machine against the broker on localhost:1883, starting a private mosquitto there when
# none listens. State and backups go to .local/ (options in .local/options.json, made on the first run).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p .local/data .local/backups

if [ ! -f .local/options.json ]; then
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

broker_pid=""
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
  if [ ! -x "$mosquitto_bin" ]; then
    echo "Nothing listens on localhost:1883 and mosquitto is not installed: sudo apt-get install -y mosquitto mosquitto-clients" >&2
    exit 1
  fi
  printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\n%s\n' "$( [ "$(id -u)" = 0 ] && echo 'user root')" > .local/mosquitto.conf
  "$mosquitto_bin" -c .local/mosquitto.conf >.local/mosquitto.log 2>&1 &
  broker_pid=$!
  trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null' EXIT
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 0.1; done
  echo "Started a private mosquitto on localhost:1883 (log in .local/mosquitto.log)."
fi

dotnet run --project src/TasmoGuardian -c Release -- --options .local/options.json --data-dir .local/data
