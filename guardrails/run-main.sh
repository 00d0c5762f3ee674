#!/usr/bin/env bash
# Runs one of the module's hand-run mains (evaluations, trainers, benchmark) on the test classpath, with the
# contracts of this checkout (not whatever snapshot sits in ~/.m2). Run from the repository root:
#   guardrails/run-main.sh dev.genaiplatform.guardrails.pii.PiiEvaluation ../shared/datasets/pii/presidio_synth_dev_500.json
set -euo pipefail
main="$1"; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -q -B -pl guardrails -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx3g --enable-native-access=ALL-UNNAMED \
  -cp "guardrails/target/test-classes:guardrails/target/classes:contracts/target/classes:$(cat guardrails/target/test-classpath.txt)" \
  "$main" "$@"
