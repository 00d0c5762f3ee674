#!/usr/bin/env bash
# One command for a load run against the local platform (./platform.sh) or any URL:
#   infra/load/run.sh                                   # smoke: 30 s of chat at 5 requests/s on localhost:8080
#   infra/load/run.sh -Dscenario=mix -DapiKeys=k1,k2 -Drate=20 -Dduration=120
#   infra/load/run.sh -Dtarget=https://gateway.example.com -DapiKeys=$KEY -Dscenario=spike -Dusers=500
#   infra/load/run.sh -Dscenario=batch -Dusers=8 -DmaxTokens=512
# Gatling prints progress every 5 s and writes an HTML report under infra/load/target/gatling/.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*21*; do
    [ -x "$candidate/bin/javac" ] && export JAVA_HOME="$candidate" && break
  done
fi
exec ./mvnw -q -B -pl infra/load gatling:test "$@"
