#!/usr/bin/env bash
# Validates the capacity model (docs/capacity.md) against the load kit on this machine, in one command:
#   infra/load/validate-capacity.sh --dry-run             # the plan and its time, nothing sent
#   infra/load/validate-capacity.sh --platform-pid <launcher pid>   # localhost:8080, rates chosen from the prediction
#   infra/load/validate-capacity.sh --target http://127.0.0.1:18080 --rates 10,20,30
# It measures the inputs with the sweep's own client (the idle machine, a probe of sequential requests, two Gatling
# calibration runs, CPU read from /proc), predicts the saturation point and the latency (CapacityCalculator), runs
# the sweep (run.sh, cache bypassed, Poisson arrivals, rising rates until the knee) and writes
# infra/load/runs/<date>-capacity-validation.txt.
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
