package dev.genaiplatform.orchestrator;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.orchestrator.answer.AnswerKindRules;
import dev.genaiplatform.orchestrator.answer.AnswerKindSettings;
import dev.genaiplatform.orchestrator.experiment.ExperimentAssigner;
import dev.genaiplatform.orchestrator.experiment.ExperimentSettings;
import dev.genaiplatform.orchestrator.guardrails.OutputCheckSettings;
import dev.genaiplatform.orchestrator.prompt.PromptPreambles;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.orchestrator.messaging.CommandTraceContext;
import dev.genaiplatform.orchestrator.messaging.ReplyChannels;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import dev.genaiplatform.orchestrator.prompt.GroundedPromptBuilder;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.web.reactive.config.BlockingExecutionConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

import dev.genaiplatform.orchestrator.admission.AdmissionSettings;
import dev.genaiplatform.orchestrator.budget.PriceTable;
import dev.genaiplatform.orchestrator.budget.TenantSpend;
import dev.genaiplatform.orchestrator.cache.DocumentDeletedListener;
import dev.genaiplatform.orchestrator.cache.ExactAnswerCache;
import dev.genaiplatform.orchestrator.idempotency.IdempotencyStore;
import dev.genaiplatform.orchestrator.memory.ConversationMemory;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import dev.genaiplatform.orchestrator.routing.ModelRouter;
import dev.genaiplatform.orchestrator.semantic.QuestionEmbedder;
import dev.genaiplatform.orchestrator.semantic.SemanticAnswerCache;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All beans of the orchestrator: the model providers, the prompt builder, and the Kafka plumbing for
 * request/reply and events.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OrchestratorProperties.class, OutputCheckSettings.class, AnswerKindSettings.class,
        ExperimentSettings.class, AdmissionSettings.class})
class OrchestratorConfiguration {

    // ---- the model ---------------------------------------------------------------------------------

    /**
     * One Spring AI chat model and client per provider under {@code platform.orchestrator.providers}, built
     * here rather than by Spring AI's auto-configuration, which creates a single model per provider kind.
     * Spring AI's own observations of a model call (ChatClient, ChatModel and OkHttp spans and timers) are on only
     * with {@code platform.orchestrator.model-observations} (default: when traces are exported): measured, they are
     * 1.1 ms of a 6 ms call to an instant model (README, Benchmark), and without an exporter nobody sees those spans;
     * the model stage's own timer and the answer's trace are recorded either way.
     */
    @Bean
    ChatProviders chatProviders(OrchestratorProperties properties, ObjectProvider<ObservationRegistry> observations,
                                @Value("${platform.orchestrator.model-observations:false}") boolean observed) {
        return ChatProviders.create(properties, observed
                ? observations.getIfAvailable(() -> ObservationRegistry.NOOP) : ObservationRegistry.NOOP);
    }

    @Bean
    TokenCounter tokenCounter() {
        return new TokenCounter();
    }

    @Bean
    GroundedPromptBuilder groundedPromptBuilder(OrchestratorProperties properties, TokenCounter tokens) {
        OrchestratorProperties.Prompt prompt = properties.prompt();
        GroundedPromptBuilder builder = new GroundedPromptBuilder(prompt.systemTemplate(), prompt.passageTemplate(),
                tokens, prompt.maxContextTokens(), prompt.maxPromptTokens())
                .withPassageTokenMemo(prompt.passageTokenMemo());
        prompt.versions().forEach(builder::withVersion);
        return builder;
    }

    @Bean
    PromptPreambles promptPreambles() {
        return new PromptPreambles();
    }

    @Bean
    AnswerKindRules answerKindRules(AnswerKindSettings settings) {
        return new AnswerKindRules(settings);
    }

    /** Every arm's prompt version must exist: a typo would otherwise silently answer with the default. */
    @Bean
    ExperimentAssigner experimentAssigner(ExperimentSettings settings, OrchestratorProperties properties) {
        for (ExperimentSettings.Arm arm : settings.arms()) {
            String version = arm.promptVersion();
            if (settings.enabled() && version != null && !version.equals(properties.prompt().version())
                    && !properties.prompt().versions().containsKey(version)) {
                throw new IllegalStateException("platform.orchestrator.experiment arm " + arm.name()
                        + " names prompt version " + version + ", which platform.orchestrator.prompt.versions lacks");
            }
        }
        return new ExperimentAssigner(settings);
    }

    // ---- resilience, routing, caches --------------------------------------------------------------

    @Bean
    ResilientModelCalls resilientModelCalls(OrchestratorProperties properties, MeterRegistry meters) {
        return new ResilientModelCalls(properties.resilience(), meters);
    }

    @Bean
    ModelRouter modelRouter(OrchestratorProperties properties) {
        return new ModelRouter(properties.routing());
    }

    @Bean
    PriceTable priceTable(OrchestratorProperties properties) {
        Map<String, PriceTable.Price> prices = new HashMap<>();
        properties.models().forEach((name, model) -> {
            if (model.price() != null) {
                prices.put(name, new PriceTable.Price(model.price().input(), model.price().output()));
            }
        });
        return new PriceTable(prices);
    }

    @Bean
    TenantSpend tenantSpend(StringRedisTemplate redis) {
        return new TenantSpend(redis);
    }

    @Bean
    ExactAnswerCache exactAnswerCache(StringRedisTemplate redis, ReactiveStringRedisTemplate reactiveRedis, JsonMapper json,
                                      OrchestratorProperties properties) {
        return new ExactAnswerCache(redis, reactiveRedis, json, properties.cache());
    }

    @Bean
    QuestionEmbedder questionEmbedder() {
        return new QuestionEmbedder();
    }

    @Bean
    SemanticAnswerCache semanticAnswerCache(StringRedisTemplate redis, JsonMapper json, OrchestratorProperties properties) {
        return new SemanticAnswerCache(redis, json, properties.semanticCache());
    }

    @Bean
    ConversationMemory conversationMemory(StringRedisTemplate redis, JsonMapper json, TokenCounter tokens,
                                          OrchestratorProperties properties) {
        return new ConversationMemory(redis, json, tokens, properties.memory());
    }

    @Bean
    IdempotencyStore idempotencyStore(StringRedisTemplate redis, JsonMapper json, OrchestratorProperties properties) {
        return new IdempotencyStore(redis, json, properties.idempotency());
    }

    @Bean
    DocumentDeletedListener documentDeletedListener(ExactAnswerCache cache, SemanticAnswerCache semanticCache,
                                                    JwtDecoder internalTokenRecordDecoder,
                                                    KafkaTemplate<Object, Object> kafka) {
        return new DocumentDeletedListener(cache, semanticCache, internalTokenRecordDecoder, kafka);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------

    /**
     * Controller methods that return a plain value run on virtual threads, so the chat flow can be written
     * as straight-line code that waits for Kafka replies without tying up WebFlux's few event-loop threads.
     */
    @Bean
    WebFluxConfigurer blockingHandlersOnVirtualThreads() {
        return new WebFluxConfigurer() {
            @Override
            public void configureBlockingExecution(BlockingExecutionConfigurer configurer) {
                configurer.setExecutor(new VirtualThreadTaskExecutor("chat-"));
            }
        };
    }

    // ---- Kafka --------------------------------------------------------------------------------------

    /**
     * The template for events (and for any {@code @SendTo} reply). Declared because a
     * {@link ReplyingKafkaTemplate} bean makes Boot's own template back off; the wildcard type is what
     * Boot's listener factory looks up.
     */
    @Bean
    @Primary
    KafkaTemplate<?, ?> kafkaTemplate(ProducerFactory<Object, Object> producerFactory, KafkaProperties kafka) {
        KafkaTemplate<Object, Object> template = new KafkaTemplate<>(producerFactory);
        template.setObservationEnabled(kafka.getTemplate().isObservationEnabled());
        return template;
    }

    @Bean
    ReplyingKafkaTemplate<String, CheckInputCommand, InputCheckedReply> guardrailsRequests(
            ProducerFactory<String, CheckInputCommand> producerFactory,
            ConcurrentKafkaListenerContainerFactory<String, InputCheckedReply> containerFactory, KafkaProperties kafka,
            OrchestratorProperties properties) {
        return ReplyChannels.replyingTemplate(producerFactory, containerFactory, Topics.GUARDRAILS_INPUT_CHECKED,
                commandSpans(kafka, properties));
    }

    @Bean
    ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> retrievalRequests(
            ProducerFactory<String, SearchCommand> producerFactory,
            ConcurrentKafkaListenerContainerFactory<String, SearchResultReply> containerFactory, KafkaProperties kafka,
            OrchestratorProperties properties) {
        return ReplyChannels.replyingTemplate(producerFactory, containerFactory, Topics.RETRIEVAL_SEARCH_RESULT,
                commandSpans(kafka, properties));
    }

    @Bean
    ReplyingKafkaTemplate<String, CheckOutputCommand, OutputCheckedReply> outputCheckRequests(
            ProducerFactory<String, CheckOutputCommand> producerFactory,
            ConcurrentKafkaListenerContainerFactory<String, OutputCheckedReply> containerFactory, KafkaProperties kafka,
            OrchestratorProperties properties) {
        return ReplyChannels.replyingTemplate(producerFactory, containerFactory, Topics.GUARDRAILS_OUTPUT_CHECKED,
                commandSpans(kafka, properties));
    }

    /** Spring Kafka's observation per command sent: only when asked for (see {@link OrchestratorProperties.Messaging}). */
    private static boolean commandSpans(KafkaProperties kafka, OrchestratorProperties properties) {
        return kafka.getTemplate().isObservationEnabled() && properties.messaging().commandSpans();
    }

    /**
     * Writes the caller's trace context onto commands in place of the templates' observation; writes nothing when the
     * observation does it ({@code command-spans}) or when Kafka sends are not to be traced at all
     * ({@code spring.kafka.template.observation-enabled=false}), so a command carries one context or none, as before.
     */
    @Bean
    CommandTraceContext commandTraceContext(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
                                            KafkaProperties kafka, OrchestratorProperties properties) {
        boolean written = kafka.getTemplate().isObservationEnabled() && !properties.messaging().commandSpans();
        return written ? new CommandTraceContext(tracer.getIfAvailable(), propagator.getIfAvailable())
                : new CommandTraceContext(null, null);
    }

    /** Readiness waits until the reply consumers own their partitions, so no early reply is missed. */
    @Bean
    ReplyChannels replyChannels(List<ReplyingKafkaTemplate<?, ?, ?>> templates) {
        return new ReplyChannels(templates);
    }

    /** The topics this service writes to or reads from (3 partitions each; replication 1 for local runs). */
    @Bean
    KafkaAdmin.NewTopics orchestratorTopics() {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.GUARDRAILS_CHECK_INPUT).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.GUARDRAILS_INPUT_CHECKED).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.GUARDRAILS_CHECK_OUTPUT).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.GUARDRAILS_OUTPUT_CHECKED).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.RETRIEVAL_SEARCH).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.RETRIEVAL_SEARCH_RESULT).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.CHAT_COMPLETION_RECORDED).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.RETRIEVAL_DOCUMENT_DELETED).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.deadLetter(Topics.RETRIEVAL_DOCUMENT_DELETED)).partitions(1).replicas(1).build());
    }
}
