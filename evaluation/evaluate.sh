#!/usr/bin/env bash
# Runs the evaluation command line (golden sets, the regression gate, the red-team suite) against a running
# platform, through the gateway like any client. Builds the evaluation jar first when it is missing.
#
#   evaluation/evaluate.sh golden --set docs-qa
#   evaluation/evaluate.sh golden --set ci-smoke --baseline evaluation/baselines/ci-smoke.sim-small.json
#   evaluation/evaluate.sh redteam
#
# Environment: PLATFORM_GATEWAY_URL (default http://127.0.0.1:8080), PLATFORM_EVALUATION_API_KEY
# (default demo-local-key). Exit code 1 means the gate failed; 2 bad usage or a set that does not parse.
set -euo pipefail
cd "$(dirname "$0")/.."
# a JDK 21+ from JAVA_HOME, else the java on the PATH (the jar targets Java 21)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=$(ls evaluation/target/evaluation-*-exec.jar 2>/dev/null | head -1 || true)
if [ -z "$jar" ] || [ -n "${REBUILD:-}" ]; then
  ./mvnw -q -B -pl evaluation -am package -DskipTests >&2
  jar=$(ls evaluation/target/evaluation-*-exec.jar | head -1)
fi
exec "$JAVA" -Dloader.main=dev.genaiplatform.evaluation.cli.EvaluationCommand \
  -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher "$@"
