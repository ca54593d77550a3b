#!/usr/bin/env bash
# A local Spark standalone cluster: scripts/cluster.sh start|stop|status
# One master and two workers (1 core each) from the Spark runtime, every port bound to 127.0.0.1, the REST submission
# server off, spark.authenticate on with a generated secret kept in a 0600 properties file. scripts/spark-submit
# passes that file to a driver whose master is spark://…; the secret is never on a command line or in a log.
#
# Environment: SLUICE_CLUSTER_DIR (state: secret, pid files, logs, work dirs; default .cluster),
# SLUICE_MASTER_PORT (7077), SLUICE_MASTER_WEBUI_PORT (8080), SLUICE_WORKER_WEBUI_PORT (8081, the next one for the
# second worker), SLUICE_WORKER_MEMORY (1g, what a worker offers its executor), SLUICE_DAEMON_MEMORY (512m heap).
set -euo pipefail
. "$(dirname "$0")/common.sh"
# Every daemon, and the executors they start, on loopback.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

cluster_dir="${SLUICE_CLUSTER_DIR:-$SLUICE_HOME/.cluster}"
secret_file="$cluster_dir/spark-auth.properties"
master_port="${SLUICE_MASTER_PORT:-7077}"
master_ui_port="${SLUICE_MASTER_WEBUI_PORT:-8080}"
worker_ui_port="${SLUICE_WORKER_WEBUI_PORT:-8081}"
worker_memory="${SLUICE_WORKER_MEMORY:-1g}"
daemon_memory="${SLUICE_DAEMON_MEMORY:-512m}"
master_url="spark://127.0.0.1:$master_port"
workers=(worker-1 worker-2)
ready_seconds=90

MASTER_CLASS=org.apache.spark.deploy.master.Master
WORKER_CLASS=org.apache.spark.deploy.worker.Worker

# The pid in a pid file, when that process is still the daemon we started (a reused pid is not ours).
live_pid() {
  local name="$1" class="$2" pid
  [ -f "$cluster_dir/$name.pid" ] || return 1
  pid="$(cat "$cluster_dir/$name.pid")"
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$class" || return 1
  echo "$pid"
}

# The shared secret: 256 random bits, in a file only this user can read, written once and reused.
ensure_secret() {
  mkdir -p "$cluster_dir"
  chmod 700 "$cluster_dir"
  [ -s "$secret_file" ] && return
  local secret
  secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  (umask 077; printf '%s\n' \
    "# Written by scripts/cluster.sh: the cluster's shared secret. Keep this file private (mode 0600)." \
    "spark.authenticate=true" \
    "spark.authenticate.secret=$secret" \
    "spark.master.rest.enabled=false" > "$secret_file.tmp")
  chmod 600 "$secret_file.tmp"
  mv "$secret_file.tmp" "$secret_file"
}

# Starts a daemon in its own session, so a signal to the caller's process group does not reach it. The secret
# reaches it through --properties-file (a path on the command line, never the value).
launch() {
  local name="$1"; shift
  local spark_home
  spark_home="$(sluice_spark_home)"
  : > "$cluster_dir/logs/$name.log"
  SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.13 \
    SPARK_DAEMON_MEMORY="$daemon_memory" SPARK_DRIVER_MEMORY="$daemon_memory" \
    SPARK_DAEMON_JAVA_OPTS="-Dlog4j2.configurationFile=$SLUICE_HOME/conf/log4j2-cluster.properties" \
    SPARK_DRIVER_JAVA_OPTS="-Dlog4j2.configurationFile=$SLUICE_HOME/conf/log4j2-cluster.properties" \
    setsid "$spark_home/bin/spark-class" "$@" --properties-file "$secret_file" \
    < /dev/null >> "$cluster_dir/logs/$name.log" 2>&1 &
  echo $! > "$cluster_dir/$name.pid"
}

wait_for() {
  local name="$1" class="$2" pattern="$3" waited=0
  until grep -q -- "$pattern" "$cluster_dir/logs/$name.log" 2>/dev/null; do
    if ! live_pid "$name" "$class" > /dev/null; then
      tail -n 30 "$cluster_dir/logs/$name.log" >&2 || true
      die "$name exited during start: see $cluster_dir/logs/$name.log"
    fi
    [ "$waited" -lt "$ready_seconds" ] || die "$name not ready after ${ready_seconds}s: see $cluster_dir/logs/$name.log"
    sleep 1
    waited=$((waited + 1))
  done
}

start() {
  local spark_home
  spark_home="$(sluice_spark_home)"
  [ -x "$spark_home/bin/spark-class" ] || die "no Spark runtime at $spark_home: run scripts/setup.sh first"
  if live_pid master "$MASTER_CLASS" > /dev/null; then
    echo "sluice: cluster already running at $master_url" >&2
    return
  fi
  ensure_secret
  mkdir -p "$cluster_dir/logs" "$cluster_dir/work"
  launch master "$MASTER_CLASS" --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui_port"
  wait_for master "$MASTER_CLASS" "I have been elected leader"
  local i=0 name
  for name in "${workers[@]}"; do
    mkdir -p "$cluster_dir/work/$name"
    launch "$name" "$WORKER_CLASS" "$master_url" --host 127.0.0.1 --cores 1 --memory "$worker_memory" \
      --webui-port $((worker_ui_port + i)) --work-dir "$cluster_dir/work/$name"
    i=$((i + 1))
  done
  for name in "${workers[@]}"; do
    wait_for "$name" "$WORKER_CLASS" "Successfully registered with master"
  done
  echo "sluice: cluster up at $master_url (UI http://127.0.0.1:$master_ui_port), ${#workers[@]} workers; state in $cluster_dir" >&2
}

# Stops what start started, by pid file: workers first (they stop their executors), then the master.
stop() {
  local name class pid waited
  for name in "${workers[@]}" master; do
    class="$WORKER_CLASS"; [ "$name" = master ] && class="$MASTER_CLASS"
    if pid="$(live_pid "$name" "$class")"; then
      kill -TERM "$pid"
      waited=0
      while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do sleep 0.5; waited=$((waited + 1)); done
      if kill -0 "$pid" 2>/dev/null; then
        echo "sluice: $name (pid $pid) did not stop in 15s, killing it" >&2
        kill -KILL "$pid"
      fi
      echo "sluice: stopped $name (pid $pid)" >&2
    fi
    rm -f "$cluster_dir/$name.pid"
  done
}

status() {
  local name class pid down=0
  for name in master "${workers[@]}"; do
    class="$WORKER_CLASS"; [ "$name" = master ] && class="$MASTER_CLASS"
    if pid="$(live_pid "$name" "$class")"; then
      echo "$name: running (pid $pid)"
    else
      echo "$name: stopped"
      down=1
    fi
  done
  echo "master: $master_url  ui: http://127.0.0.1:$master_ui_port  secret file: $secret_file"
  return "$down"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: scripts/cluster.sh start|stop|status" ;;
esac
