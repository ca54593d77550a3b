#!/usr/bin/env bash
# Trino over the lakehouse, for SQL clients and BI tools over JDBC: scripts/trino.sh start|stop|status|sync
#   start   provisions Trino once from Maven Central (under .trino/), writes its configuration under the lakehouse
#           (<lakehouse>/.trino/), starts it, waits until it answers, then syncs. Prints the JDBC URL.
#   sync    registers every table of the lakehouse under the names scripts/sql.sh uses (sluice.model_registry,
#           <dataset>_raw, ...), unregisters those whose folder is gone; running it twice changes nothing.
#           --if-running: only when a Trino serves the lakehouse (scripts/run-pipeline.sh and loop.sh end with it).
#   status  prints the JDBC URL and exits 0 when the server is running, else exits 3.
#   query   (-e SQL | -f FILE) [--var name=value]...: one statement over JDBC, its rows as CSV. A file of
#           conf/queries/ runs as its Trino twin (conf/queries/trino/<file>) when it has one. With HTTPS on, as
#           SLUICE_TRINO_USER (default $USER) with the password in SLUICE_TRINO_PASSWORD.
#   stop    stops the server.
# Queries are read-only: the catalog users see (delta) refuses INSERT, DELETE, UPDATE, DROP, CREATE and CALL;
# only sync registers tables, through a second catalog (delta_admin) the access rules hide from every other user.
#
# Environment: SLUICE_LAKEHOUSE (default <project>/lakehouse, as scripts/sql.sh), SLUICE_TRINO_PORT (8090),
# SLUICE_TRINO_SCHEMA (sluice), SLUICE_TRINO_MEMORY (2G heap), SLUICE_TRINO_JAVA_HOME (a JDK 24 or newer; else one is
# looked for under /usr/lib/jvm). Beyond loopback: SLUICE_TRINO_BIND=0.0.0.0 requires HTTPS with passwords,
# SLUICE_TRINO_PASSWORD_FILE (Trino's password file, bcrypt or PBKDF2 entries, mode 0600; see docs/trino.md) and
# SLUICE_TRINO_HTTPS_PORT (8453); the certificate is SLUICE_TRINO_KEYSTORE (a PEM with key and certificate, mode 0600),
# else a self-signed one made once under <lakehouse>/.trino/etc/.
set -euo pipefail
. "$(dirname "$0")/common.sh"

lakehouse="${SLUICE_LAKEHOUSE:-$SLUICE_HOME/lakehouse}"
case "$lakehouse" in
  file://*) lakehouse="${lakehouse#file://}" ;;
  *://*)
    # Nothing to sync for a lakehouse Trino cannot serve from here.
    [ "${1:-} ${2:-}" = "sync --if-running" ] && exit 0
    die "scripts/trino.sh serves a lakehouse on a local disk; $lakehouse is not one (see docs/trino.md)" ;;
esac
[ -d "$lakehouse" ] && lakehouse="$(cd "$lakehouse" && pwd)"
port="${SLUICE_TRINO_PORT:-8090}"
schema="${SLUICE_TRINO_SCHEMA:-sluice}"
memory="${SLUICE_TRINO_MEMORY:-2G}"
bind="${SLUICE_TRINO_BIND:-127.0.0.1}"
https_port="${SLUICE_TRINO_HTTPS_PORT:-8453}"
version="$(sed -n 's:.*<trino.version>\(.*\)</trino.version>.*:\1:p' "$SLUICE_HOME/pom.xml" | head -n 1)"
[ -n "$version" ] || die "pom.xml names no trino.version"
server_home="$SLUICE_HOME/.trino/trino-server-$version"
state="$lakehouse/.trino"
pid_file="$state/data/var/run/launcher.pid"
admin=sluice-admin
ready_seconds=120

# A Java the server accepts (24 or newer): SLUICE_TRINO_JAVA_HOME, else the newest such JDK under /usr/lib/jvm.
java_home() {
  local candidate major
  if [ -n "${SLUICE_TRINO_JAVA_HOME:-}" ]; then
    [ -x "$SLUICE_TRINO_JAVA_HOME/bin/java" ] || die "SLUICE_TRINO_JAVA_HOME=$SLUICE_TRINO_JAVA_HOME has no bin/java"
    echo "$SLUICE_TRINO_JAVA_HOME"
    return
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    [ -x "$candidate/bin/java" ] || continue
    major="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
    if [ -n "$major" ] && [ "$major" -ge 24 ]; then
      echo "${candidate%/}"
      return
    fi
  done
  die "Trino $version needs Java 24 or newer and none was found under /usr/lib/jvm: install one (e.g. Temurin 25) and set SLUICE_TRINO_JAVA_HOME to it"
}

# An artifact from Maven Central (through the local Maven repository) copied to .trino/; prints its path.
fetch() {
  local artifact="$1" file="$SLUICE_HOME/.trino/$2"
  if [ ! -f "$file" ]; then
    command -v mvn >/dev/null || die "mvn is not installed: install Apache Maven 3.8+ to fetch $artifact"
    mvn -B -q -N -f "$SLUICE_HOME/pom.xml" dependency:copy -Dartifact="$artifact" -DoutputDirectory="$SLUICE_HOME/.trino" >&2 \
      || die "could not fetch $artifact from Maven Central"
    [ -f "$file" ] || die "Maven fetched $artifact but $file is not there"
  fi
  echo "$file"
}

# Trino's server from Maven Central, once: its launcher, its libraries and the two plugins used (Delta Lake, and the
# password authenticator for HTTPS), 394 MB of the 821 MB archive.
provision() {
  [ -x "$server_home/bin/launcher" ] && return
  echo "sluice: provisioning Trino $version from Maven Central into $server_home (once)" >&2
  local archive
  archive="$(fetch "io.trino:trino-server:$version:tar.gz" "trino-server-$version.tar.gz")"
  rm -rf "$server_home.tmp" && mkdir -p "$server_home.tmp"
  # Whole, then pruned: a plugin's jars can be hard links to another plugin's, which must be extracted with them.
  tar -xzf "$archive" -C "$server_home.tmp" --strip-components=1
  find "$server_home.tmp/plugin" -mindepth 1 -maxdepth 1 -not -name delta-lake -not -name password-authenticators \
    -exec rm -rf {} +
  rm -rf "$server_home.tmp/secrets-plugin"
  mv "$server_home.tmp" "$server_home"
  rm -f "$archive"
}

url() {
  if [ "$bind" = 127.0.0.1 ]; then echo "http://127.0.0.1:$port"; else echo "https://$(hostname -f):$https_port"; fi
}

jdbc_url() {
  if [ "$bind" = 127.0.0.1 ]; then
    echo "jdbc:trino://127.0.0.1:$port/delta/$schema?user=${USER:-$(id -un)}"
  else
    echo "jdbc:trino://$(hostname -f):$https_port/delta/$schema?SSL=true&user=<user>&password=<password>"
  fi
}

private_file() {
  local file="$1" what="$2" mode
  [ -f "$file" ] || die "$what $file does not exist"
  mode="$(stat -c %a "$file")"
  [ "$mode" = 600 ] || [ "$mode" = 400 ] || die "$what $file has mode $mode: make it private (chmod 600 $file)"
}

# The configuration, rewritten at every start from the settings above.
configure() {
  local etc="$state/etc" java="$1"
  mkdir -p "$etc/catalog" "$state/data" "$state/metastore"
  chmod 700 "$state"
  cat > "$etc/node.properties" <<EOF
node.environment=sluice
node.id=sluice-trino
node.data-dir=$state/data
node.bind-ip=$bind
node.internal-address=127.0.0.1
EOF
  cat > "$etc/jvm.config" <<EOF
-server
-Xmx$memory
-XX:+UseG1GC
-XX:+ExplicitGCInvokesConcurrent
-XX:+ExitOnOutOfMemoryError
-XX:-OmitStackTraceInFastThrow
-XX:ReservedCodeCacheSize=256M
-Djdk.attach.allowAttachSelf=true
-Dfile.encoding=UTF-8
-XX:+EnableDynamicAgentLoading
--add-modules=jdk.incubator.vector
--sun-misc-unsafe-memory-access=allow
--enable-native-access=ALL-UNNAMED
EOF
  # Heap: queries on the lakehouse's tables are small; the rest is headroom.
  cat > "$etc/config.properties" <<EOF
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$port
discovery.uri=http://127.0.0.1:$port
query.max-memory=512MB
query.max-memory-per-node=512MB
http-server.log.enabled=false
EOF
  if [ "$bind" != 127.0.0.1 ]; then
    [ -n "${SLUICE_TRINO_PASSWORD_FILE:-}" ] || die "SLUICE_TRINO_BIND=$bind serves beyond loopback, which needs HTTPS with passwords: set SLUICE_TRINO_PASSWORD_FILE to a password file (docs/trino.md says how to write one)"
    private_file "$SLUICE_TRINO_PASSWORD_FILE" "the password file"
    local keystore="${SLUICE_TRINO_KEYSTORE:-$etc/trino.pem}"
    if [ -z "${SLUICE_TRINO_KEYSTORE:-}" ] && [ ! -f "$keystore" ]; then
      (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$(hostname -f)" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:$(hostname -f)" \
        -keyout "$etc/key.pem" -out "$etc/cert.pem" 2>/dev/null && cat "$etc/key.pem" "$etc/cert.pem" > "$keystore" \
        && rm -f "$etc/key.pem")
    fi
    private_file "$keystore" "the keystore"
    # sync's own user: a password made here, kept beside the configuration, in a file of its own.
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$etc/admin.secret"
      python3 -c 'import hashlib, os, sys
user, secret = sys.argv[1], open(sys.argv[2]).read().strip()
salt = os.urandom(16)
key = hashlib.pbkdf2_hmac("sha1", secret.encode(), salt, 100000, 32)
print(user + ":100000:" + salt.hex() + ":" + key.hex())' \
        "$admin" "$etc/admin.secret" > "$etc/admin.passwords")
    cat >> "$etc/config.properties" <<EOF
http-server.authentication.type=PASSWORD
http-server.https.enabled=true
http-server.https.port=$https_port
http-server.https.keystore.path=$keystore
internal-communication.shared-secret=$(head -c 48 /dev/urandom | base64 -w0)
password-authenticator.config-files=$etc/password-authenticator.properties,$etc/admin-authenticator.properties
EOF
    printf 'password-authenticator.name=file\nfile.password-file=%s\n' "$SLUICE_TRINO_PASSWORD_FILE" \
      > "$etc/password-authenticator.properties"
    printf 'password-authenticator.name=file\nfile.password-file=%s\n' "$etc/admin.passwords" \
      > "$etc/admin-authenticator.properties"
    echo "$keystore" > "$state/keystore"
  else
    rm -f "$etc/password-authenticator.properties" "$etc/admin-authenticator.properties" "$state/keystore"
  fi
  chmod 600 "$etc/config.properties"
  printf 'io.trino=WARN\n' > "$etc/log.properties"
  local catalog="connector.name=delta_lake
hive.metastore=file
hive.metastore.catalog.dir=file://$state/metastore
fs.hadoop.enabled=true"
  printf '%s\ndelta.security=READ_ONLY\n' "$catalog" > "$etc/catalog/delta.properties"
  printf '%s\ndelta.register-table-procedure.enabled=true\n' "$catalog" > "$etc/catalog/delta_admin.properties"
  cat > "$etc/access-control.properties" <<EOF
access-control.name=file
security.config-file=$etc/rules.json
EOF
  # Every user reads delta and system; only the admin user (scripts/trino.sh itself) sees delta_admin, where it may
  # register and unregister tables and nothing else.
  cat > "$etc/rules.json" <<EOF
{
  "catalogs": [
    {"user": "$admin", "catalog": "(delta|delta_admin|system)", "allow": "all"},
    {"catalog": "(delta|system)", "allow": "read-only"},
    {"catalog": ".*", "allow": "none"}
  ],
  "schemas": [
    {"user": "$admin", "catalog": "delta_admin", "owner": true},
    {"owner": false}
  ],
  "tables": [
    {"user": "$admin", "catalog": "delta_admin", "privileges": ["SELECT", "OWNERSHIP"]},
    {"privileges": ["SELECT"]}
  ],
  "procedures": [
    {"user": "$admin", "catalog": "delta_admin", "schema": "system",
     "procedure": "(register_table|unregister_table)", "privileges": ["EXECUTE"]}
  ],
  "system_information": [
    {"allow": ["read"]}
  ]
}
EOF
  echo "$java" > "$state/java-home"
}

# Trino's own launcher (start, stop, kill, status) on this lakehouse's server.
launcher() {
  JAVA_HOME="$(cat "$state/java-home" 2>/dev/null || java_home)" ${SLUICE_TRINO_TIMEOUT:+timeout "$SLUICE_TRINO_TIMEOUT"} \
    "$server_home/bin/launcher" "$@" --etc-dir="$state/etc" --data-dir="$state/data" --pid-file="$pid_file" \
    --server-log-file="$state/data/var/log/server.log" --launcher-log-file="$state/data/var/log/launcher.log"
}

running() {
  [ -x "$server_home/bin/launcher" ] && [ -f "$pid_file" ] && launcher status > /dev/null 2>&1
}

rest() {
  python3 "$SLUICE_HOME/scripts/trino_rest.py" "$@"
}

# Where sync reaches the server as its admin: the loopback HTTP port, or with HTTPS on, the HTTPS port with the
# admin's password, trusting only the server's own certificate.
admin_endpoint() {
  if [ -f "$state/keystore" ]; then
    echo "https://127.0.0.1:$https_port --ca $(cat "$state/keystore") --password-file $state/etc/admin.secret"
  else
    echo "http://127.0.0.1:$port"
  fi
}

start() {
  [ -d "$lakehouse" ] || die "no lakehouse at $lakehouse: run scripts/run-pipeline.sh first, or set SLUICE_LAKEHOUSE"
  command -v python3 >/dev/null || die "python3 is not installed: scripts/trino.sh needs it to talk to Trino"
  if running; then
    echo "sluice: trino already running: $(jdbc_url)" >&2
    sync_tables
    return
  fi
  local java
  java="$(java_home)"
  provision
  configure "$java"
  local started waited=0
  started=$(date +%s)
  launcher start > /dev/null
  until rest ready "http://127.0.0.1:$port"; do
    if ! running; then
      tail -n 30 "$state/data/var/log/server.log" >&2 2>/dev/null || true
      die "Trino exited during start: see $state/data/var/log/server.log"
    fi
    [ "$waited" -lt $((ready_seconds * 4)) ] || die "Trino not ready after ${ready_seconds}s: see $state/data/var/log/server.log"
    sleep 0.25
    waited=$((waited + 1))
  done
  echo "sluice: trino $version up in $(( $(date +%s) - started )) s: $(jdbc_url)" >&2
  sync_tables
}

# With --if-running (scripts/run-pipeline.sh and scripts/loop.sh), nothing when no Trino serves the lakehouse.
sync_tables() {
  if [ "${1:-}" = --if-running ]; then
    running || return 0
  fi
  running || die "Trino is not running for $lakehouse: scripts/trino.sh start"
  # The endpoint's words are its URL and options.
  # shellcheck disable=SC2046
  rest sync $(admin_endpoint) "$admin" "$lakehouse" "$schema"
}

# One statement through Trino's JDBC driver (scripts/TrinoQuery.java), as a BI tool would send it.
query() {
  running || die "Trino is not running for $lakehouse: scripts/trino.sh start"
  local jar args=() twin
  jar="$(fetch "io.trino:trino-jdbc:$version" "trino-jdbc-$version.jar")"
  while [ $# -gt 0 ]; do
    if [ "$1" = -f ] && [ $# -gt 1 ]; then
      twin="$(dirname "$2")/trino/$(basename "$2")"
      if [ -f "$twin" ]; then
        echo "sluice: trino: running $twin, the Trino twin of $2" >&2
        args+=(-f "$twin"); shift 2; continue
      fi
    fi
    args+=("$1"); shift
  done
  # With HTTPS on, as a client from elsewhere: TLS, a user and SLUICE_TRINO_PASSWORD.
  local url="jdbc:trino://127.0.0.1:$port/delta/$schema"
  if [ -f "$state/keystore" ]; then
    url="jdbc:trino://127.0.0.1:$https_port/delta/$schema?SSL=true&SSLVerification=CA&SSLTrustStorePath=$(cat "$state/keystore")"
  fi
  java -cp "$jar" "$SLUICE_HOME/scripts/TrinoQuery.java" --url "$url" \
    --user "${SLUICE_TRINO_USER:-${USER:-$(id -un)}}" ${args[@]+"${args[@]}"}
}

stop() {
  if ! running; then
    echo "sluice: trino not running" >&2
    return
  fi
  # The launcher's stop waits for the server however long it takes.
  SLUICE_TRINO_TIMEOUT=60 launcher stop > /dev/null || launcher kill > /dev/null
  echo "sluice: trino stopped" >&2
}

status() {
  if running; then
    echo "trino: running ($(url)); JDBC: $(jdbc_url)"
  else
    echo "trino: stopped (lakehouse $lakehouse)"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  sync) sync_tables "${2:-}" ;;
  query) shift; query "$@" ;;
  -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" ;;
  *) die "usage: scripts/trino.sh start|stop|status|sync|query" ;;
esac
