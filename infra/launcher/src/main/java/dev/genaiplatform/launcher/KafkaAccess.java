package dev.genaiplatform.launcher;

import dev.genaiplatform.contracts.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.genaiplatform.contracts.Topics.CHAT_BATCH_LINE_QUEUED;
import static dev.genaiplatform.contracts.Topics.CHAT_BULK_LINE_QUEUED;
import static dev.genaiplatform.contracts.Topics.CHAT_COMPLETION_RECORDED;
import static dev.genaiplatform.contracts.Topics.GATEWAY_API_KEY_REVOKED;
import static dev.genaiplatform.contracts.Topics.GATEWAY_TENANT_LIMITS_CHANGED;
import static dev.genaiplatform.contracts.Topics.GUARDRAILS_CHECK_INPUT;
import static dev.genaiplatform.contracts.Topics.GUARDRAILS_CHECK_OUTPUT;
import static dev.genaiplatform.contracts.Topics.GUARDRAILS_INPUT_CHECKED;
import static dev.genaiplatform.contracts.Topics.GUARDRAILS_JUDGE_PASSAGES;
import static dev.genaiplatform.contracts.Topics.GUARDRAILS_OUTPUT_CHECKED;
import static dev.genaiplatform.contracts.Topics.GUARDRAILS_PASSAGES_JUDGED;
import static dev.genaiplatform.contracts.Topics.GUARDRAILS_VERDICT_RECORDED;
import static dev.genaiplatform.contracts.Topics.RETRIEVAL_DOCUMENT_DELETED;
import static dev.genaiplatform.contracts.Topics.RETRIEVAL_INGESTION_PROGRESSED;
import static dev.genaiplatform.contracts.Topics.RETRIEVAL_INGESTION_REQUESTED;
import static dev.genaiplatform.contracts.Topics.RETRIEVAL_SEARCH;
import static dev.genaiplatform.contracts.Topics.RETRIEVAL_SEARCH_RESULT;
import static dev.genaiplatform.contracts.Topics.TOOLS_APPROVAL_DECIDED;
import static dev.genaiplatform.contracts.Topics.TOOLS_APPROVAL_REQUESTED;
import static dev.genaiplatform.contracts.Topics.TOOLS_CALL_STATUS;
import static dev.genaiplatform.contracts.Topics.TOOLS_CALL_STATUS_REPORTED;
import static dev.genaiplatform.contracts.Topics.TOOLS_DECIDE_APPROVAL;
import static dev.genaiplatform.contracts.Topics.TOOLS_INVOKE;
import static dev.genaiplatform.contracts.Topics.TOOLS_INVOKED;
import static dev.genaiplatform.contracts.Topics.TOOLS_TOOL_CALLED;

/**
 * Who may do what on the backbone: the one table the broker's ACLs come from (the launcher's broker, compose's and
 * Kubernetes' through the generated {@code kafka-acls.sh}). Read a row as "this service's Kafka user may write these
 * topics, read those, in consumer groups whose id starts with this prefix". Everything else is refused: the broker
 * runs KRaft's {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}, and only the broker's own
 * user is a super user.
 *
 * <p>The rows come from each service's code (its {@code @KafkaListener}s, listener containers, templates,
 * {@code @SendTo} replies, dead-letter recoverers and {@code NewTopic} beans), not from what would be convenient. A
 * service that starts reading or writing another topic needs a row change here, or the broker refuses it (the
 * service logs a {@code TopicAuthorizationException} naming the topic).
 *
 * <p>Derived permissions ({@link #bindings()}): WRITE on each topic a row produces, READ on each it consumes (both
 * imply DESCRIBE), CREATE on both (whichever service starts first declares a topic, and a producer's first record may
 * create it: the orchestrator declares guardrails' and retrieval's topics so its first request never waits for them),
 * READ on the row's consumer-group prefix. Idempotent producers (Kafka 4's default) need no cluster permission: WRITE
 * on any topic authorises their producer id.
 */
final class KafkaAccess {

    /**
     * The orchestrator's reply topic for approval decisions: a reply topic, so not in {@link Topics#ALL}, but tools-agent
     * writes to it (its {@code @SendTo} answers on the topic the request names), so it is in the table all the same.
     */
    static final String APPROVAL_DECISION_REPLIES = Topics.ORCHESTRATOR_APPROVAL_DECISION_REPLIES;

    /** Tools-agent's reply topic for its searches: retrieval writes it where the search names it, as above. */
    static final String SEARCH_TOOL_REPLIES = Topics.TOOLS_AGENT_SEARCH_RESULT_REPLIES;

    /**
     * Events that have a producer and no consumer in this build: audit trails and progress, kept on the broker for
     * whoever reads them later (an operator with the broker's user). Giving them a reader is a row change.
     */
    static final Set<String> UNREAD_EVENTS = Set.of(RETRIEVAL_INGESTION_PROGRESSED, TOOLS_APPROVAL_REQUESTED,
            TOOLS_TOOL_CALLED);

    /**
     * One row per service that uses Kafka. A service names its consumer groups after itself (with a random suffix
     * where every instance must hear every record: the gateway's fan-out listeners, the orchestrator's reply
     * consumers; with {@code -b} for region B's own answer cache), so a prefix per service covers its groups and lets
     * no service join, and so disturb, another's group.
     */
    static final List<Row> TABLE = List.of(
            row("gateway")
                    // key revocations and limit changes: every gateway instance (group gateway-<uuid>,
                    // gateway-limits-<uuid>) hears its own events; the orchestrator stops a revoked key's batches
                    .produces(GATEWAY_API_KEY_REVOKED, GATEWAY_TENANT_LIMITS_CHANGED)
                    .consumes(GATEWAY_API_KEY_REVOKED, GATEWAY_TENANT_LIMITS_CHANGED)
                    .groups("gateway-"),
            row("orchestrator")
                    // request/reply to guardrails, retrieval and tools-agent (replies in orchestrator-replies-<uuid>)
                    .produces(GUARDRAILS_CHECK_INPUT, GUARDRAILS_CHECK_OUTPUT, RETRIEVAL_SEARCH, TOOLS_INVOKE,
                            TOOLS_CALL_STATUS, TOOLS_DECIDE_APPROVAL)
                    .consumes(GUARDRAILS_INPUT_CHECKED, GUARDRAILS_OUTPUT_CHECKED, RETRIEVAL_SEARCH_RESULT,
                            TOOLS_INVOKED, TOOLS_CALL_STATUS_REPORTED, APPROVAL_DECISION_REPLIES)
                    // events: its answers for evaluation; deletions for its answer cache (orchestrator-cache),
                    // approval decisions that resume runs (orchestrator-agent), revoked keys stop batches
                    .produces(CHAT_COMPLETION_RECORDED)
                    .consumes(RETRIEVAL_DOCUMENT_DELETED, TOOLS_APPROVAL_DECIDED, GATEWAY_API_KEY_REVOKED)
                    // its own batch work queues (orchestrator-batch); BULK is the contract's second queued class
                    .produces(CHAT_BATCH_LINE_QUEUED, CHAT_BULK_LINE_QUEUED)
                    .consumes(CHAT_BATCH_LINE_QUEUED, CHAT_BULK_LINE_QUEUED)
                    .deadLetters(RETRIEVAL_DOCUMENT_DELETED, TOOLS_APPROVAL_DECIDED, CHAT_BATCH_LINE_QUEUED,
                            CHAT_BULK_LINE_QUEUED)
                    .groups("orchestrator"),
            row("retrieval")
                    // answers searches on the asker's reply topic (the orchestrator's or tools-agent's), publishes its
                    // document events, and runs its own ingestion queue (groups retrieval, retrieval-ingestion)
                    .consumes(RETRIEVAL_SEARCH, RETRIEVAL_INGESTION_REQUESTED)
                    .produces(RETRIEVAL_SEARCH_RESULT, SEARCH_TOOL_REPLIES, RETRIEVAL_DOCUMENT_DELETED, RETRIEVAL_INGESTION_REQUESTED,
                            RETRIEVAL_INGESTION_PROGRESSED)
                    .deadLetters(RETRIEVAL_SEARCH, RETRIEVAL_INGESTION_REQUESTED)
                    // has guardrails judge newly indexed passages once (replies in group retrieval-judgements-<uuid>)
                    .produces(GUARDRAILS_JUDGE_PASSAGES)
                    .consumes(GUARDRAILS_PASSAGES_JUDGED)
                    .groups("retrieval"),
            row("tools-agent")
                    // answers tool calls, status queries and decisions (groups tools-invoke, tools-call-status,
                    // tools-decide-approval), publishes its audit events, and asks retrieval for its search tool
                    // on its own reply topic (group tools-agent-retrieval-replies-<uuid>), never the orchestrator's
                    .consumes(TOOLS_INVOKE, TOOLS_CALL_STATUS, TOOLS_DECIDE_APPROVAL)
                    .produces(TOOLS_INVOKED, TOOLS_CALL_STATUS_REPORTED, APPROVAL_DECISION_REPLIES)
                    .produces(TOOLS_TOOL_CALLED, TOOLS_APPROVAL_REQUESTED, TOOLS_APPROVAL_DECIDED)
                    .produces(RETRIEVAL_SEARCH)
                    .consumes(SEARCH_TOOL_REPLIES)
                    .deadLetters(TOOLS_INVOKE, TOOLS_CALL_STATUS, TOOLS_DECIDE_APPROVAL)
                    .groups("tools-"),
            row("guardrails")
                    // answers input and output checks and judges retrieval's new passages (group guardrails),
                    // records every verdict for evaluation
                    .consumes(GUARDRAILS_CHECK_INPUT, GUARDRAILS_CHECK_OUTPUT, GUARDRAILS_JUDGE_PASSAGES)
                    .produces(GUARDRAILS_INPUT_CHECKED, GUARDRAILS_OUTPUT_CHECKED, GUARDRAILS_PASSAGES_JUDGED,
                            GUARDRAILS_VERDICT_RECORDED)
                    .deadLetters(GUARDRAILS_CHECK_INPUT, GUARDRAILS_CHECK_OUTPUT, GUARDRAILS_JUDGE_PASSAGES)
                    .groups("guardrails"),
            row("evaluation")
                    // stores answers and verdicts (group evaluation); writes only dead letters
                    .consumes(CHAT_COMPLETION_RECORDED, GUARDRAILS_VERDICT_RECORDED)
                    .deadLetters(CHAT_COMPLETION_RECORDED, GUARDRAILS_VERDICT_RECORDED)
                    .groups("evaluation"));

    private KafkaAccess() {
    }

    /** The service users of the table, in its order. */
    static List<String> users() {
        return TABLE.stream().map(Row::user).toList();
    }

    static Row row(String user) {
        return new Row(user, Set.of(), Set.of(), "");
    }

    /** The broker's ACLs, derived from {@link #TABLE}: exactly these and no others exist once the launcher started. */
    static Set<AclBinding> bindings() {
        Set<AclBinding> bindings = new LinkedHashSet<>();
        for (Row row : TABLE) {
            row.produces().forEach(topic -> bindings.add(allow(row.user(), topic(topic), AclOperation.WRITE)));
            row.consumes().forEach(topic -> bindings.add(allow(row.user(), topic(topic), AclOperation.READ)));
            row.creates().forEach(topic -> bindings.add(allow(row.user(), topic(topic), AclOperation.CREATE)));
            bindings.add(allow(row.user(), new ResourcePattern(ResourceType.GROUP, row.groupPrefix(),
                    PatternType.PREFIXED), AclOperation.READ));
        }
        return Collections.unmodifiableSet(bindings);
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static AclBinding allow(String user, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource,
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    /**
     * The same ACLs as {@code kafka-acls.sh} commands, for brokers the launcher does not start (compose's and
     * Kubernetes' one-shot jobs run this script; {@code KafkaAccessTests} checks the committed copies against it).
     * Four commands per service, so a job starts 24 JVMs, not one per rule.
     */
    static String aclScript() {
        StringBuilder script = new StringBuilder();
        script.append("""
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
                """);
        for (Row row : TABLE) {
            String principal = "--allow-principal User:" + row.user();
            script.append('\n').append("# ").append(row.user()).append('\n');
            if (!row.produces().isEmpty()) {
                script.append("acls ").append(principal).append(" --operation Write").append(topics(row.produces()))
                        .append('\n');
            }
            script.append("acls ").append(principal).append(" --operation Read").append(topics(row.consumes()))
                    .append('\n');
            script.append("acls ").append(principal).append(" --operation Create").append(topics(row.creates()))
                    .append('\n');
            script.append("acls ").append(principal).append(" --operation Read --resource-pattern-type prefixed")
                    .append(" --group ").append(row.groupPrefix()).append('\n');
        }
        return script.toString();
    }

    private static String topics(Set<String> topics) {
        StringBuilder names = new StringBuilder();
        topics.forEach(topic -> names.append(" --topic ").append(topic));
        return names.toString();
    }

    /**
     * One service's row.
     *
     * @param user        its Kafka user (the service's name)
     * @param produces    topics it writes: commands, replies, events, dead letters
     * @param consumes    topics it reads
     * @param groupPrefix the prefix of every consumer group id it uses
     */
    record Row(String user, Set<String> produces, Set<String> consumes, String groupPrefix) {

        Row produces(String... topics) {
            return new Row(user, plus(produces, topics), consumes, groupPrefix);
        }

        Row consumes(String... topics) {
            return new Row(user, produces, plus(consumes, topics), groupPrefix);
        }

        /** Writes the dead-letter twin of each of these topics (records it could not act on, with the reason). */
        Row deadLetters(String... consumedTopics) {
            return produces(Arrays.stream(consumedTopics).map(Topics::deadLetter).toArray(String[]::new));
        }

        Row groups(String prefix) {
            return new Row(user, produces, consumes, prefix);
        }

        /** Every topic it reads or writes: it may be the one that creates it. */
        Set<String> creates() {
            Set<String> all = new LinkedHashSet<>(produces);
            all.addAll(consumes);
            return Collections.unmodifiableSet(all);
        }

        private static Set<String> plus(Set<String> set, String... more) {
            List<String> all = new ArrayList<>(set);
            all.addAll(List.of(more));
            return Collections.unmodifiableSet(new LinkedHashSet<>(all));
        }
    }
}
