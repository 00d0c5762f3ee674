package dev.genaiplatform.launcher;

import dev.genaiplatform.contracts.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one table of who may do what on the backbone, checked against the wire map and the launcher's users. */
class KafkaAccessTests {

    private static final Path HOME = Path.of(System.getProperty("platform.home", "../..")).toAbsolutePath().normalize();

    private static List<String> writers(String topic) {
        return KafkaAccess.TABLE.stream().filter(row -> row.produces().contains(topic)).map(KafkaAccess.Row::user).toList();
    }

    private static List<String> readers(String topic) {
        return KafkaAccess.TABLE.stream().filter(row -> row.consumes().contains(topic)).map(KafkaAccess.Row::user).toList();
    }

    @Test
    void everyTopicOfTheWireMapHasAWriterAndAReaderSaveTheEventsNobodyReadsYet() {
        assertThat(Topics.ALL).allSatisfy(topic -> assertThat(writers(topic)).as("writers of " + topic).isNotEmpty());
        assertThat(Topics.ALL).filteredOn(topic -> !KafkaAccess.UNREAD_EVENTS.contains(topic))
                .allSatisfy(topic -> assertThat(readers(topic)).as("readers of " + topic).isNotEmpty());
        // kept honest: an event that gets a reader leaves the list
        assertThat(KafkaAccess.UNREAD_EVENTS).allSatisfy(topic -> {
            assertThat(Topics.ALL).contains(topic);
            assertThat(readers(topic)).as("readers of " + topic).isEmpty();
        });
    }

    @Test
    void theTableNamesOnlyTopicsOfTheWireMapTheirDeadLetterTwinsAndTheTwoNamedReplyTopics() {
        Set<String> known = new HashSet<>(Topics.ALL);
        Topics.ALL.forEach(topic -> known.add(Topics.deadLetter(topic)));
        known.add(KafkaAccess.APPROVAL_DECISION_REPLIES);
        known.add(KafkaAccess.SEARCH_TOOL_REPLIES);

        assertThat(KafkaAccess.TABLE).allSatisfy(row -> assertThat(row.creates()).as(row.user()).isSubsetOf(known));
    }

    @Test
    void aDeadLetterTwinIsWrittenOnlyByAServiceThatReadsItsTopicAndReadByNone() {
        for (KafkaAccess.Row row : KafkaAccess.TABLE) {
            row.produces().stream().filter(topic -> topic.endsWith(".dlt")).forEach(deadLetter -> {
                String topic = deadLetter.substring(0, deadLetter.length() - ".dlt".length());
                assertThat(row.consumes()).as(row.user() + " writes " + deadLetter).contains(topic);
            });
            assertThat(row.consumes()).as(row.user()).noneMatch(topic -> topic.endsWith(".dlt"));
        }
    }

    @Test
    void onlyTheOwnerWritesWhatOthersMustBeAbleToTrust() {
        assertThat(writers(Topics.GATEWAY_API_KEY_REVOKED)).containsExactly("gateway");
        assertThat(writers(Topics.GATEWAY_TENANT_LIMITS_CHANGED)).containsExactly("gateway");
        assertThat(writers(Topics.GUARDRAILS_INPUT_CHECKED)).containsExactly("guardrails");
        assertThat(writers(Topics.GUARDRAILS_OUTPUT_CHECKED)).containsExactly("guardrails");
        assertThat(writers(Topics.GUARDRAILS_VERDICT_RECORDED)).containsExactly("guardrails");
        assertThat(writers(Topics.RETRIEVAL_SEARCH_RESULT)).containsExactly("retrieval");
        assertThat(writers(KafkaAccess.SEARCH_TOOL_REPLIES)).containsExactly("retrieval");
        // each asker reads only its own replies: tools-agent no longer reads one per chat request
        assertThat(readers(Topics.RETRIEVAL_SEARCH_RESULT)).containsExactly("orchestrator");
        assertThat(readers(KafkaAccess.SEARCH_TOOL_REPLIES)).containsExactly("tools-agent");
        assertThat(writers(Topics.TOOLS_INVOKED)).containsExactly("tools-agent");
        assertThat(writers(Topics.CHAT_COMPLETION_RECORDED)).containsExactly("orchestrator");
        // prompts travel on the check topics: guardrails reads them, evaluation (which stores records) does not
        assertThat(readers(Topics.GUARDRAILS_CHECK_INPUT)).containsExactly("guardrails");
        assertThat(readers(Topics.GUARDRAILS_CHECK_OUTPUT)).containsExactly("guardrails");
    }

    @Test
    void noServicesConsumerGroupPrefixCoversAnothersGroups() {
        List<String> prefixes = KafkaAccess.TABLE.stream().map(KafkaAccess.Row::groupPrefix).toList();

        assertThat(prefixes).doesNotContain("").doesNotHaveDuplicates();
        for (String a : prefixes) {
            for (String b : prefixes) {
                if (!a.equals(b)) {
                    assertThat(b).as("group prefix " + a + " vs " + b).doesNotStartWith(a);
                }
            }
        }
    }

    @Test
    void theTableHasARowForEveryKafkaUserTheLauncherCreatesAndNoOther() {
        Map<String, String> users = new ServiceEnvironment(LauncherSettings.from(HOME, name -> null),
                PlatformSecrets.of(Map.of())).kafkaUsers();

        assertThat(KafkaAccess.users()).doesNotHaveDuplicates().doesNotContain(KafkaBroker.BROKER_USER)
                .containsExactlyInAnyOrderElementsOf(users.keySet().stream()
                        .filter(user -> !user.equals(KafkaBroker.BROKER_USER)).toList());
    }

    @Test
    void theBindingsAreAllowRulesOnNamedTopicsAndPrefixedGroupsOfServiceUsersOnly() {
        Set<AclBinding> bindings = KafkaAccess.bindings();

        assertThat(bindings).allSatisfy(binding -> {
            assertThat(binding.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            assertThat(binding.entry().principal()).isIn(KafkaAccess.users().stream().map(u -> "User:" + u).toList());
            assertThat(binding.pattern().name()).isNotEqualTo("*");
            assertThat(binding.pattern().resourceType()).isIn(ResourceType.TOPIC, ResourceType.GROUP);
            if (binding.pattern().resourceType() == ResourceType.TOPIC) {
                assertThat(binding.pattern().patternType()).isEqualTo(PatternType.LITERAL);
                assertThat(binding.entry().operation()).isIn(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE);
            } else {
                assertThat(binding.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
                assertThat(binding.entry().operation()).isEqualTo(AclOperation.READ);
            }
        });
        // evaluation writes nothing but its dead letters
        assertThat(bindings).filteredOn(b -> b.entry().principal().equals("User:evaluation")
                        && b.entry().operation() == AclOperation.WRITE)
                .extracting(b -> b.pattern().name())
                .containsExactlyInAnyOrder(Topics.deadLetter(Topics.CHAT_COMPLETION_RECORDED),
                        Topics.deadLetter(Topics.GUARDRAILS_VERDICT_RECORDED));
    }

    @Test
    void composeAndKubernetesRunTheAclScriptGeneratedFromTheTable() throws IOException {
        String generated = KafkaAccess.aclScript();

        assertThat(generated).contains("--operation Write --topic gateway.api-key-revoked.v1")
                .contains("--group tools-");
        for (Path copy : List.of(HOME.resolve("infra/docker/kafka-acls.sh"), HOME.resolve("infra/k8s/kafka-acls.sh"))) {
            // after a table change: ./mvnw -q -pl infra/launcher -am test -Dtest=KafkaAccessTests
            //   -Dsurefire.failIfNoSpecifiedTests=false -Dkafka.acls.write=true   (then commit both copies)
            if (Boolean.getBoolean("kafka.acls.write")) {
                Files.writeString(copy, generated);
            }
            assertThat(copy).as(copy + ": regenerate it (see above)").hasContent(generated);
        }
    }

    /** Read the way kafka-acls.sh reads its options: each --operation on each resource, for the principal, any host. */
    @Test
    void theScriptGrantsExactlyTheLaunchersRules() {
        Set<AclBinding> scripted = new HashSet<>();
        KafkaAccess.aclScript().lines().filter(line -> line.startsWith("acls ")).forEach(line -> {
            List<String> words = List.of(line.split(" "));
            String principal = words.get(words.indexOf("--allow-principal") + 1);
            PatternType pattern = words.contains("--resource-pattern-type") ? PatternType.PREFIXED : PatternType.LITERAL;
            for (int i = 0; i < words.size() - 1; i++) {
                ResourceType type = switch (words.get(i)) {
                    case "--topic" -> ResourceType.TOPIC;
                    case "--group" -> ResourceType.GROUP;
                    default -> null;
                };
                if (type == null) {
                    continue;
                }
                for (int j = 0; j < words.size() - 1; j++) {
                    if (words.get(j).equals("--operation")) {
                        scripted.add(new AclBinding(new ResourcePattern(type, words.get(i + 1), pattern),
                                new AccessControlEntry(principal, "*", AclOperation.fromString(words.get(j + 1)),
                                        AclPermissionType.ALLOW)));
                    }
                }
            }
        });

        assertThat(scripted).isEqualTo(KafkaAccess.bindings());
    }
}
