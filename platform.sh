#!/usr/bin/env bash
# Builds and starts the whole platform on this machine: an embedded Kafka broker, Redis, PostgreSQL, and
# every service as its own JVM. Credentials are generated at the first start; state (Kafka's log, the
# databases, Redis, the index) lives in .platform/data and survives a restart. Ctrl-C stops everything.
#
#   ./platform.sh              start the platform (gateway on http://localhost:8080)
#   ./platform.sh --wipe       delete .platform/data (data and secrets) first, then start empty
#   ./platform.sh bench [N]    measure cold start, memory and per-hop overhead (N requests, default 500)
#   ./platform.sh scenario list|all|<name>   run the guide's interview questions against the platform
#                              (reuses a platform running on the gateway port, else starts one and stops it after)
#   ./platform.sh regions      the platform as region A plus region B beside it (its own gateway on 8180,
#                              orchestrator and Redis; broker, database and the other services shared)
#   ./platform.sh regions failover [clients] [s before] [s after]   both regions, clients failing over while
#                              region A's gateway and orchestrator are killed; prints what the clients saw
set -euo pipefail
cd "$(dirname "$0")"

java_feature_version() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

# A JDK of 21 or later: JAVA_HOME if it is one, else `java` on the PATH, else a JDK 25/21 under /usr/lib/jvm.
pick_java_home() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for dir in /usr/lib/jvm/*25* /usr/lib/jvm/*21* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ]; then
      local v; v=$(java_feature_version "$home/bin/java")
      if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ]; then echo "$home"; return 0; fi
    fi
  done
  return 1
}

if ! JAVA_HOME=$(pick_java_home); then
  echo "The platform needs a JDK 21 or later (25 recommended). Install one, e.g. Eclipse Temurin 25," >&2
  echo "and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME

# A scenario next to a running platform does not rebuild: packaging rewrites the jars its services run from.
gateway_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/${GATEWAY_PORT:-8080}") 2>/dev/null
}
launcher_jars=(infra/launcher/target/launcher-*-exec.jar)
if [ "${1:-}" = "scenario" ] && [ -f "${launcher_jars[0]}" ] && gateway_answers; then
  echo "A platform answers on port ${GATEWAY_PORT:-8080}: using it as built (no rebuild under running services)."
else
  echo "Building (first time: a few minutes to download dependencies)..."
  ./mvnw -q -B -DskipTests package
fi

# the launcher hosts the Kafka broker: a small heap is plenty for one partition-light broker
launcher_options=(-Xmx512m -XX:+UseSerialGC)
# PLATFORM_LEAN (default true): the same memory settings the launcher gives every service (infra/launcher/README.md)
java_major=$(java_feature_version "$JAVA_HOME/bin/java"); java_major=${java_major%%.*}
if [ "${PLATFORM_LEAN:-true}" != "false" ] && [ "$java_major" -ge 25 ]; then
  export MALLOC_ARENA_MAX=2
  launcher_options+=(-Xms32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseCompactObjectHeaders
    -XX:TrimNativeHeapInterval=10000)
fi
exec "$JAVA_HOME/bin/java" "${launcher_options[@]}" --enable-native-access=ALL-UNNAMED \
  -jar infra/launcher/target/launcher-*-exec.jar "$@"
