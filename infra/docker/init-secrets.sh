#!/bin/sh
# Generates the platform's credentials into the `platform-secrets` volume at the first `docker compose up`
# and never again (delete the volume to rotate everything: `docker compose down -v`). Each directory is
# owned by the user of the container that reads it, and readable by that user only:
#   redis/ (uid 999), postgres/ (uid 999), kafka/ (uid 1000, apache/kafka's appuser),
#   services/<name>/ (uid 10001, the Dockerfile's platform user): Spring Boot config-tree files, one
#   property per file (the file name is the property name: spring.datasource.password, or an environment
#   variable's name such as PLATFORM_ADMIN_API_KEY for a ${...} placeholder), read with
#   SPRING_CONFIG_IMPORT=optional:configtree:/secrets/services/<name>/
set -eu
dir=/secrets
if [ -f "$dir/.generated" ]; then
  echo "secrets already generated"; exit 0
fi
random() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
umask 077
mkdir -p "$dir/redis" "$dir/postgres" "$dir/kafka" "$dir/services"

redis_password=$(random)
printf '%s' "$redis_password" > "$dir/redis/password"
printf '%s' "$(random)" > "$dir/postgres/postgres.password"

kafka_users="broker gateway orchestrator retrieval tools-agent guardrails evaluation"
jaas_users=""
for user in $kafka_users; do
  password=$(random)
  printf '%s' "$password" > "$dir/kafka/$user.password"
  jaas_users="$jaas_users user_$user=\"$password\""
done
printf 'org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="%s"%s;' \
  "$(cat "$dir/kafka/broker.password")" "$jaas_users" > "$dir/kafka/server-jaas.conf"

admin_key="gp-admin-$(random)"
evaluation_key="gp-evaluation-$(random)"
for service in gateway orchestrator retrieval tools-agent guardrails evaluation; do
  out="$dir/services/$service"
  mkdir -p "$out"
  printf 'org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";' \
    "$service" "$(cat "$dir/kafka/$service.password")" > "$out/spring.kafka.properties.sasl.jaas.config"
done
for service in gateway orchestrator guardrails; do
  printf '%s' "$redis_password" > "$dir/services/$service/spring.data.redis.password"
done
# one database and role per stateful service (the role is the database name)
for pair in gateway:gateway orchestrator:orchestrator retrieval:retrieval tools-agent:tools_agent evaluation:evaluation; do
  service=${pair%%:*}; role=${pair#*:}
  password=$(random)
  printf '%s' "$password" > "$dir/postgres/$role.password"
  printf '%s' "$password" > "$dir/services/$service/spring.datasource.password"
done
# named like the environment variables the services' application.yml placeholders read
printf '%s' "$admin_key" > "$dir/services/gateway/PLATFORM_ADMIN_API_KEY"
printf '%s' "$evaluation_key" > "$dir/services/gateway/PLATFORM_EVALUATION_API_KEY"
printf '%s' "$evaluation_key" > "$dir/services/evaluation/PLATFORM_EVALUATION_API_KEY"
# seals the gateway replicas' shared signing keys in PostgreSQL; must never change for an existing database
printf '%s' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > "$dir/services/gateway/GATEWAY_SIGNING_KEY_SECRET"

chown -R 999:999 "$dir/redis" "$dir/postgres"
chown -R 1000:1000 "$dir/kafka"
chown -R 10001:10001 "$dir/services"
find "$dir" -type d -exec chmod 500 {} +
find "$dir" -type f -exec chmod 400 {} +
chmod 555 "$dir"
touch "$dir/.generated"
echo "Generated. Admin API key: $admin_key (shown once; also in the platform-secrets volume)"
