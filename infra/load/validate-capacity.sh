#!/usr/bin/env bash
# Validates the capacity model (docs/capacity.md) against the load kit on this machine, in one command:
#   infra/load/validate-capacity.sh                       # the platform on localhost:8080, rates chosen from the prediction
#   infra/load/validate-capacity.sh --target http://127.0.0.1:18080 --simulator http://127.0.0.1:18090 --rates 10,20,30
# It measures the inputs (cpu-per-request.sh), predicts the saturation point (CapacityCalculator), runs the sweep
# (run.sh, cache bypassed, rising rates until the knee) and writes infra/load/runs/<date>-capacity-validation.txt.
# Start the platform first as cpu-per-request.sh's header says (model instant, demo limits lifted), on an idle machine.
# Exit status: 0 validated, 3 not validated, 2 bad options, 1 a platform or a run that failed (then nothing is written).
# --help lists the options; the logic is ValidateCapacity.java and CapacityValidation.java, run without a build.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    [ -x "$candidate/bin/java" ] && export JAVA_HOME="$candidate" && break
  done
fi
[ -n "${JAVA_HOME:-}" ] || { echo "validate-capacity: set JAVA_HOME to a JDK 25" >&2; exit 2; }
exec "$JAVA_HOME/bin/java" infra/load/src/main/java/dev/genaiplatform/load/ValidateCapacity.java "$@"
