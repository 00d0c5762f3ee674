#!/usr/bin/env bash
# Generates every credential of the platform and stores it as Kubernetes Secrets in the genai-platform
# namespace; existing Secrets are left alone (delete one to rotate it). Nothing is written to disk.
#   ./infra/k8s/create-secrets.sh && kubectl apply -k infra/k8s
set -euo pipefail
ns=genai-platform
random() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
exists() { kubectl -n "$ns" get secret "$1" >/dev/null 2>&1; }
kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"

kafka_services=(gateway orchestrator retrieval tools-agent guardrails evaluation)
if ! exists kafka-broker; then
  declare -A pw
  jaas_users=""
  for user in broker "${kafka_services[@]}"; do
    pw[$user]=$(random)
    jaas_users+=" user_${user}=\"${pw[$user]}\""
  done
  kubectl -n "$ns" create secret generic kafka-broker \
    --from-literal=jaas="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\"${pw[broker]}\"${jaas_users};"
  args=()
  for user in "${kafka_services[@]}"; do
    args+=("--from-literal=${user}=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"${user}\" password=\"${pw[$user]}\";")
  done
  kubectl -n "$ns" create secret generic kafka-clients "${args[@]}"
fi
exists redis || kubectl -n "$ns" create secret generic redis --from-literal=password="$(random)"
if ! exists postgres-roles; then
  args=(--from-literal=postgres="$(random)")
  for role in gateway orchestrator retrieval tools_agent evaluation; do
    args+=("--from-literal=${role}=$(random)")
  done
  kubectl -n "$ns" create secret generic postgres-roles "${args[@]}"
fi
if ! exists platform-api-keys; then
  admin="gp-admin-$(random)"
  kubectl -n "$ns" create secret generic platform-api-keys \
    --from-literal=admin="$admin" --from-literal=evaluation="gp-evaluation-$(random)"
  echo "Admin API key (shown once): $admin"
fi
# seals the gateway replicas' shared signing keys in PostgreSQL (every replica signs with the same ring); never
# change it for an existing database: the gateway would refuse to start
if ! exists gateway-signing; then
  kubectl -n "$ns" create secret generic gateway-signing --from-literal=secret="$(random)$(random)"
fi
