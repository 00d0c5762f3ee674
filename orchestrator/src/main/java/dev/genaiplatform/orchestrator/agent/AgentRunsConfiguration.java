package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.tools.DecideToolApprovalCommand;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolCallStatusQuery;
import dev.genaiplatform.orchestrator.budget.PriceTable;
import dev.genaiplatform.orchestrator.messaging.KafkaRequestReply;
import dev.genaiplatform.orchestrator.messaging.ReplyChannels;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import dev.genaiplatform.orchestrator.routing.ModelRouter;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent feature's beans, kept beside it so its internals stay package-private: the run store, the loop and
 * its executor, and the Kafka plumbing to tools-agent (three request/reply pairs and the decision listener). Replies
 * and decisions are read as bytes and parsed into the contract records here, so they need no type headers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AgentSettings.class, InterruptedRuns.Settings.class})
class AgentRunsConfiguration {

    /**
     * Where tools-agent answers this service's decisions ({@code kafka_replyTopic}). Not the shared
     * {@value Topics#TOOLS_APPROVAL_DECIDED}: the broadcast events there carry no correlation id, and a reply
     * consumer on that topic would see every one of them as a stray reply.
     */
    static final String DECISION_REPLIES = Topics.ORCHESTRATOR_APPROVAL_DECISION_REPLIES;

    @Bean
    AgentRunStore agentRunStore(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactions) {
        return new AgentRunStore(jdbc, json, new TransactionTemplate(transactions));
    }

    @Bean
    RunSteps agentRunSteps(AgentRunStore store, ObjectProvider<ObservationRegistry> observations) {
        return new RunSteps(store, observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    /** One virtual thread per running run; a run waiting for a human holds none. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService agentRunExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("agent-run-", 0).factory());
    }

    @Bean
    ReplyingKafkaTemplate<String, InvokeToolCommand, byte[]> toolInvokeRequests(ProducerFactory<String, InvokeToolCommand> producers,
                                                                     KafkaProperties kafka) {
        return replyingTemplate(producers, kafka, Topics.TOOLS_INVOKED);
    }

    @Bean
    ReplyingKafkaTemplate<String, ToolCallStatusQuery, byte[]> toolStatusRequests(ProducerFactory<String, ToolCallStatusQuery> producers,
                                                                     KafkaProperties kafka) {
        return replyingTemplate(producers, kafka, Topics.TOOLS_CALL_STATUS_REPORTED);
    }

    @Bean
    ReplyingKafkaTemplate<String, DecideToolApprovalCommand, byte[]> toolDecisionRequests(ProducerFactory<String, DecideToolApprovalCommand> producers,
                                                                       KafkaProperties kafka) {
        return replyingTemplate(producers, kafka, DECISION_REPLIES);
    }

    @Bean
    ToolCalls toolCalls(ReplyingKafkaTemplate<String, InvokeToolCommand, byte[]> toolInvokeRequests,
                        ReplyingKafkaTemplate<String, ToolCallStatusQuery, byte[]> toolStatusRequests,
                        ReplyingKafkaTemplate<String, DecideToolApprovalCommand, byte[]> toolDecisionRequests,
                        AgentSettings settings, JsonMapper json) {
        return new ToolCalls(
                new KafkaRequestReply<>(toolInvokeRequests, "tools-agent", Topics.TOOLS_INVOKE, settings.toolTimeout()),
                new KafkaRequestReply<>(toolStatusRequests, "tools-agent", Topics.TOOLS_CALL_STATUS,
                        settings.toolTimeout()),
                new KafkaRequestReply<>(toolDecisionRequests, "tools-agent", Topics.TOOLS_DECIDE_APPROVAL,
                        settings.toolTimeout()),
                json);
    }

    @Bean
    ToolCatalog toolCatalog(AgentSettings settings, ObjectProvider<ObservationRegistry> observations) {
        return new ToolCatalog(RestClient.builder()
                .observationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP)), settings.toolsUrl());
    }

    @Bean
    AgentLoop agentLoop(AgentRunStore store, RunSteps steps, ToolCalls tools, ChatProviders providers,
                        ResilientModelCalls modelCalls, PriceTable prices, AgentSettings settings,
                        ExecutorService agentRunExecutor, dev.genaiplatform.orchestrator.guardrails.OutputGuard guard,
                        JsonMapper json) {
        // pseudonyms in tool arguments are restored by guardrails from the run's vault, as answers are
        return new AgentLoop(store, steps, tools, providers, modelCalls, prices, settings, agentRunExecutor,
                new ToolArgumentPseudonyms(guard::restorePseudonym, json));
    }

    @Bean
    InterruptedRuns interruptedRuns(AgentRunStore store, AgentLoop loop, RunSteps steps,
                                    InterruptedRuns.Settings settings) {
        return new InterruptedRuns(store, loop, steps, settings);
    }

    @Bean
    AgentRuns agentRuns(AgentRunStore store, AgentLoop loop, RunSteps steps, ToolCatalog catalog, ToolCalls tools,
                        ChatProviders providers, ModelRouter router, AgentSettings settings,
                        dev.genaiplatform.orchestrator.guardrails.GuardrailsClient guardrails) {
        return new AgentRuns(store, loop, steps, catalog, tools, providers, router, settings, systemPrompt(settings),
                new GoalCheck(guardrails));
    }

    @Bean
    ApprovalDecidedListener approvalDecidedListener(AgentRuns runs, AgentRunStore store,
                                                    JwtDecoder internalTokenRecordDecoder, KafkaProperties kafka,
                                                    JsonMapper json) {
        Map<String, Object> producer = kafka.buildProducerProperties();
        KafkaTemplate<String, byte[]> deadLetters = new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<>(producer, new StringSerializer(), new ByteArraySerializer()));
        return new ApprovalDecidedListener(runs, store, internalTokenRecordDecoder, deadLetters, json);
    }

    /**
     * Decisions, in group {@code orchestrator-agent}: one instance resumes each run, and a decision made while
     * no orchestrator ran is read when one starts (committed offsets, earliest for a new group).
     */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> approvalDecidedContainer(ApprovalDecidedListener listener,
                                                                               KafkaProperties kafka) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "orchestrator-agent");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ContainerProperties properties = new ContainerProperties(Topics.TOOLS_APPROVAL_DECIDED);
        properties.setMessageListener(listener);
        properties.setObservationEnabled(kafka.getListener().isObservationEnabled());
        ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()),
                properties);
        container.setBeanName("orchestrator-agent-approval-decided");
        return container;
    }

    @Bean
    KafkaAdmin.NewTopics agentTopics() {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.TOOLS_INVOKE).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.TOOLS_INVOKED).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.TOOLS_CALL_STATUS).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.TOOLS_CALL_STATUS_REPORTED).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.TOOLS_DECIDE_APPROVAL).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.TOOLS_APPROVAL_DECIDED).partitions(3).replicas(1).build(),
                TopicBuilder.name(DECISION_REPLIES).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.deadLetter(Topics.TOOLS_APPROVAL_DECIDED)).partitions(1).replicas(1).build());
    }

    /** Like {@link ReplyChannels#replyingTemplate}, but replies are read as bytes. */
    private static <C> ReplyingKafkaTemplate<String, C, byte[]> replyingTemplate(ProducerFactory<String, C> producers,
                                                                                 KafkaProperties kafka, String replyTopic) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "orchestrator-replies-" + UUID.randomUUID());
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        ConcurrentMessageListenerContainer<String, byte[]> replies = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()),
                new ContainerProperties(replyTopic));
        replies.setAutoStartup(false);
        ReplyingKafkaTemplate<String, C, byte[]> template = new ReplyingKafkaTemplate<>(producers, replies);
        template.setSharedReplyTopic(true);
        template.setObservationEnabled(kafka.getTemplate().isObservationEnabled());
        return template;
    }

    private static String systemPrompt(AgentSettings settings) {
        try {
            return settings.systemTemplate().getContentAsString(StandardCharsets.UTF_8).strip();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read platform.orchestrator.agent.system-template", ex);
        }
    }
}
