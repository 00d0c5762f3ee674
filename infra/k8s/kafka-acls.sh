#!/bin/sh
# GENERATED from infra/launcher/src/main/java/dev/genaiplatform/launcher/KafkaAccess.java (its TABLE):
# edit the table, then regenerate: ./mvnw -q -pl infra/launcher -am test -Dtest=KafkaAccessTests
#   -Dsurefire.failIfNoSpecifiedTests=false -Dkafka.acls.write=true (KafkaAccessTests fails until then)
# The platform's per-topic Kafka ACLs, for a broker with StandardAuthorizer,
# allow.everyone.if.no.acl.found=false and super.users=User:broker. Adding an existing ACL is a no-op.
# Usage: kafka-acls.sh <bootstrap servers> <admin client properties: logged in as the broker user>
set -eu
bootstrap=$1
admin=$2
acls() { /opt/kafka/bin/kafka-acls.sh --bootstrap-server "$bootstrap" --command-config "$admin" --add "$@"; }

# gateway
acls --allow-principal User:gateway --operation Write --topic gateway.api-key-revoked.v1 --topic gateway.tenant-limits-changed.v1
acls --allow-principal User:gateway --operation Read --topic gateway.api-key-revoked.v1 --topic gateway.tenant-limits-changed.v1
acls --allow-principal User:gateway --operation Create --topic gateway.api-key-revoked.v1 --topic gateway.tenant-limits-changed.v1
acls --allow-principal User:gateway --operation Read --resource-pattern-type prefixed --group gateway-

# orchestrator
acls --allow-principal User:orchestrator --operation Write --topic guardrails.check-input.v1 --topic guardrails.check-output.v1 --topic retrieval.search.v1 --topic tools.invoke.v1 --topic tools.call-status.v1 --topic tools.decide-approval.v1 --topic chat.completion-recorded.v1 --topic chat.batch-line-queued.v1 --topic chat.bulk-line-queued.v1 --topic retrieval.document-deleted.v1.dlt --topic tools.approval-decided.v1.dlt --topic chat.batch-line-queued.v1.dlt --topic chat.bulk-line-queued.v1.dlt
acls --allow-principal User:orchestrator --operation Read --topic guardrails.input-checked.v1 --topic guardrails.output-checked.v1 --topic retrieval.search-result.v1 --topic tools.invoked.v1 --topic tools.call-status-reported.v1 --topic orchestrator.approval-decision-replies.v1 --topic retrieval.document-deleted.v1 --topic tools.approval-decided.v1 --topic gateway.api-key-revoked.v1 --topic chat.batch-line-queued.v1 --topic chat.bulk-line-queued.v1
acls --allow-principal User:orchestrator --operation Create --topic guardrails.check-input.v1 --topic guardrails.check-output.v1 --topic retrieval.search.v1 --topic tools.invoke.v1 --topic tools.call-status.v1 --topic tools.decide-approval.v1 --topic chat.completion-recorded.v1 --topic chat.batch-line-queued.v1 --topic chat.bulk-line-queued.v1 --topic retrieval.document-deleted.v1.dlt --topic tools.approval-decided.v1.dlt --topic chat.batch-line-queued.v1.dlt --topic chat.bulk-line-queued.v1.dlt --topic guardrails.input-checked.v1 --topic guardrails.output-checked.v1 --topic retrieval.search-result.v1 --topic tools.invoked.v1 --topic tools.call-status-reported.v1 --topic orchestrator.approval-decision-replies.v1 --topic retrieval.document-deleted.v1 --topic tools.approval-decided.v1 --topic gateway.api-key-revoked.v1
acls --allow-principal User:orchestrator --operation Read --resource-pattern-type prefixed --group orchestrator

# retrieval
acls --allow-principal User:retrieval --operation Write --topic retrieval.search-result.v1 --topic tools-agent.search-result-replies.v1 --topic retrieval.document-deleted.v1 --topic retrieval.ingestion-requested.v1 --topic retrieval.ingestion-progressed.v1 --topic retrieval.search.v1.dlt --topic retrieval.ingestion-requested.v1.dlt --topic guardrails.judge-passages.v1
acls --allow-principal User:retrieval --operation Read --topic retrieval.search.v1 --topic retrieval.ingestion-requested.v1 --topic guardrails.passages-judged.v1
acls --allow-principal User:retrieval --operation Create --topic retrieval.search-result.v1 --topic tools-agent.search-result-replies.v1 --topic retrieval.document-deleted.v1 --topic retrieval.ingestion-requested.v1 --topic retrieval.ingestion-progressed.v1 --topic retrieval.search.v1.dlt --topic retrieval.ingestion-requested.v1.dlt --topic guardrails.judge-passages.v1 --topic retrieval.search.v1 --topic guardrails.passages-judged.v1
acls --allow-principal User:retrieval --operation Read --resource-pattern-type prefixed --group retrieval

# tools-agent
acls --allow-principal User:tools-agent --operation Write --topic tools.invoked.v1 --topic tools.call-status-reported.v1 --topic orchestrator.approval-decision-replies.v1 --topic tools.tool-called.v1 --topic tools.approval-requested.v1 --topic tools.approval-decided.v1 --topic retrieval.search.v1 --topic tools.invoke.v1.dlt --topic tools.call-status.v1.dlt --topic tools.decide-approval.v1.dlt
acls --allow-principal User:tools-agent --operation Read --topic tools.invoke.v1 --topic tools.call-status.v1 --topic tools.decide-approval.v1 --topic tools-agent.search-result-replies.v1
acls --allow-principal User:tools-agent --operation Create --topic tools.invoked.v1 --topic tools.call-status-reported.v1 --topic orchestrator.approval-decision-replies.v1 --topic tools.tool-called.v1 --topic tools.approval-requested.v1 --topic tools.approval-decided.v1 --topic retrieval.search.v1 --topic tools.invoke.v1.dlt --topic tools.call-status.v1.dlt --topic tools.decide-approval.v1.dlt --topic tools.invoke.v1 --topic tools.call-status.v1 --topic tools.decide-approval.v1 --topic tools-agent.search-result-replies.v1
acls --allow-principal User:tools-agent --operation Read --resource-pattern-type prefixed --group tools-

# guardrails
acls --allow-principal User:guardrails --operation Write --topic guardrails.input-checked.v1 --topic guardrails.output-checked.v1 --topic guardrails.passages-judged.v1 --topic guardrails.verdict-recorded.v1 --topic guardrails.check-input.v1.dlt --topic guardrails.check-output.v1.dlt --topic guardrails.judge-passages.v1.dlt
acls --allow-principal User:guardrails --operation Read --topic guardrails.check-input.v1 --topic guardrails.check-output.v1 --topic guardrails.judge-passages.v1
acls --allow-principal User:guardrails --operation Create --topic guardrails.input-checked.v1 --topic guardrails.output-checked.v1 --topic guardrails.passages-judged.v1 --topic guardrails.verdict-recorded.v1 --topic guardrails.check-input.v1.dlt --topic guardrails.check-output.v1.dlt --topic guardrails.judge-passages.v1.dlt --topic guardrails.check-input.v1 --topic guardrails.check-output.v1 --topic guardrails.judge-passages.v1
acls --allow-principal User:guardrails --operation Read --resource-pattern-type prefixed --group guardrails

# evaluation
acls --allow-principal User:evaluation --operation Write --topic chat.completion-recorded.v1.dlt --topic guardrails.verdict-recorded.v1.dlt
acls --allow-principal User:evaluation --operation Read --topic chat.completion-recorded.v1 --topic guardrails.verdict-recorded.v1
acls --allow-principal User:evaluation --operation Create --topic chat.completion-recorded.v1.dlt --topic guardrails.verdict-recorded.v1.dlt --topic chat.completion-recorded.v1 --topic guardrails.verdict-recorded.v1
acls --allow-principal User:evaluation --operation Read --resource-pattern-type prefixed --group evaluation
