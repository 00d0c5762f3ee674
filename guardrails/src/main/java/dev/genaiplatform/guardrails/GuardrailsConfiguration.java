package dev.genaiplatform.guardrails;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.detection.MiniLm;
import dev.genaiplatform.guardrails.detection.QuestionEmbeddings;
import dev.genaiplatform.guardrails.detection.RecentEmbeddings;
import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.genaiplatform.guardrails.injection.PromptInjectionDetector;
import dev.genaiplatform.guardrails.moderation.HostedModerationClient;
import dev.genaiplatform.guardrails.moderation.ModerationClassifier;
import dev.genaiplatform.guardrails.moderation.ModerationDetector;
import dev.genaiplatform.guardrails.ner.NameFinderDetector;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.output.UntrustedVerdicts;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.pseudonym.PseudonymVault;
import dev.genaiplatform.guardrails.policy.JudgeContent;
import dev.genaiplatform.guardrails.policy.PolicyResolver;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every bean of the service: the detectors in the order they run, the policies, the topics, and dead letters. */
@Configuration(proxyBeanMethods = false)
class GuardrailsConfiguration {

    private static final int PARTITIONS = 3;
    private static final Duration RAW_TEXT_RETENTION = Duration.ofHours(1);
    private static final Duration RAW_TEXT_SEGMENT = Duration.ofMinutes(10);

    /**
     * The size check always runs first and blocks, so an oversize request is never scanned. Then, in this
     * order, the detectors a policy may ask for: shaped PII and secrets (checksums make them the most precise,
     * so their spans win overlaps), names and addresses (the trained model), prompt injection, harmful content.
     * The name finder remembers the spans of the last 10,000 texts it read, by their hash (a conversation resends
     * its history every turn; the same text always gets the same spans).
     */
    @Bean
    GuardrailPipeline guardrailPipeline(GuardrailsProperties properties, PiiDetector pii,
                                        PromptInjectionDetector injection, ModerationDetector moderation,
                                        MeterRegistry meterRegistry) {
        return new GuardrailPipeline(new InputSizeDetector(properties.maxInputChars()),
                List.of(pii, NameFinderDetector.remembering(10_000), injection, moderation), meterRegistry);
    }

    /**
     * all-MiniLM-L6-v2 (int8 ONNX, in the langchain4j jar), loaded once and shared by both classifiers; they embed
     * the same normalised windows of a message, so the second reads them from {@link RecentEmbeddings}. The ONNX
     * session runs without spinning workers ({@link MiniLm}: same vectors, a fraction of the CPU).
     */
    @Bean
    RecentEmbeddings miniLm(GuardrailsProperties properties) {
        var threads = new MiniLm.Threads(properties.embedding().intraOpThreads(), properties.embedding().spinning());
        return new RecentEmbeddings(new MiniLm(threads), 256);
    }

    /** The last user message's embedding, handed on in the input check's reply when the classifiers computed it. */
    @Bean
    QuestionEmbeddings questionEmbeddings(RecentEmbeddings miniLm) {
        return new QuestionEmbeddings(miniLm);
    }

    @Bean
    PiiDetector piiDetector() {
        return new PiiDetector();
    }

    @Bean
    PromptInjectionDetector promptInjectionDetector(EmbeddingModel miniLm) {
        return new PromptInjectionDetector(InjectionClassifier.load(miniLm));
    }

    /** Rules, the trained classifier, and the hosted endpoint only when {@code moderation.hosted-url} is set. */
    @Bean
    ModerationDetector moderationDetector(EmbeddingModel miniLm, GuardrailsProperties properties) {
        GuardrailsProperties.Moderation settings = properties.moderation();
        HostedModerationClient hosted = settings.hostedUrl() == null || settings.hostedUrl().isBlank() ? null
                : new HostedModerationClient(java.net.URI.create(settings.hostedUrl()), settings.hostedModel(), settings.hostedApiKey(), settings.hostedTimeout());
        return new ModerationDetector(ModerationClassifier.load(miniLm), hosted);
    }

    /**
     * Verdicts of untrusted texts are remembered (by text hash, source and policy content): the same retrieved
     * passages come back for many questions. 10,000 entries of a few hundred bytes each, for an hour at most.
     */
    @Bean
    OutputChecker outputChecker(PiiDetector pii, PromptInjectionDetector injection, ModerationDetector moderation) {
        return new OutputChecker(pii, injection, moderation, UntrustedVerdicts.bounded(10_000, Duration.ofHours(1)));
    }

    @Bean
    PseudonymVault pseudonymVault(StringRedisTemplate redis, GuardrailsProperties properties) {
        return new PseudonymVault(redis, properties.pseudonymTtl());
    }

    /**
     * The judge's digest is computed here, once, so the first check does not pay for it (it hashes the model), and
     * logged: two instances with different digests judge differently and name different policy fingerprints.
     */
    @Bean
    PolicyResolver policyResolver(GuardrailsProperties properties) {
        long started = System.nanoTime();
        String judge = JudgeContent.shipped();
        LoggerFactory.getLogger(JudgeContent.class).info("Untrusted-data judge {} ({} ms)", judge.substring(0, 16),
                (System.nanoTime() - started) / 1_000_000);
        return new PolicyResolver(properties.policies(), properties.tenantPolicies());
    }

    /**
     * The check topics carry raw prompts, so they keep records as briefly as Kafka allows in practice: an hour
     * ({@code retention.ms}), in segments of ten minutes so old ones can actually be deleted. The verdict
     * events carry no text and are kept for a week, for evaluation and audit.
     */
    @Bean
    NewTopic checkInputTopic() {
        return shortLived(Topics.GUARDRAILS_CHECK_INPUT);
    }

    @Bean
    NewTopic checkInputDeadLetterTopic() {
        return shortLived(Topics.deadLetter(Topics.GUARDRAILS_CHECK_INPUT));
    }

    @Bean
    NewTopic inputCheckedTopic() {
        return shortLived(Topics.GUARDRAILS_INPUT_CHECKED);
    }

    @Bean
    NewTopic checkOutputTopic() {
        return shortLived(Topics.GUARDRAILS_CHECK_OUTPUT);
    }

    @Bean
    NewTopic checkOutputDeadLetterTopic() {
        return shortLived(Topics.deadLetter(Topics.GUARDRAILS_CHECK_OUTPUT));
    }

    @Bean
    NewTopic outputCheckedTopic() {
        return shortLived(Topics.GUARDRAILS_OUTPUT_CHECKED);
    }

    @Bean
    NewTopic judgePassagesTopic() {
        return shortLived(Topics.GUARDRAILS_JUDGE_PASSAGES);
    }

    @Bean
    NewTopic judgePassagesDeadLetterTopic() {
        return shortLived(Topics.deadLetter(Topics.GUARDRAILS_JUDGE_PASSAGES));
    }

    @Bean
    NewTopic passagesJudgedTopic() {
        return shortLived(Topics.GUARDRAILS_PASSAGES_JUDGED);
    }

    @Bean
    NewTopic verdictRecordedTopic() {
        return TopicBuilder.name(Topics.GUARDRAILS_VERDICT_RECORDED).partitions(PARTITIONS).replicas(1)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis())).build();
    }

    private static NewTopic shortLived(String topic) {
        return TopicBuilder.name(topic).partitions(PARTITIONS).replicas(1)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(RAW_TEXT_RETENTION.toMillis()))
                .config(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(RAW_TEXT_SEGMENT.toMillis()))
                .build();
    }

    /**
     * The Kafka listeners' consumers poll on platform threads of their own (one per listener and partition set),
     * not on virtual threads as the rest of the service does ({@code spring.threads.virtual.enabled}). A consumer
     * spends its life blocked in its selector waiting for the next record; on a virtual thread that wait and the
     * wake-up go through the virtual-thread scheduler, and the request's way in and the reply's way out were slower
     * for it: p90 and mean per input check lower on platform threads in four side-by-side runs on a loaded machine,
     * p50 in two of them (README, Latency, Wave 9). The listener method runs on the consumer's thread either way.
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> listenersOnPlatformThreads() {
        return container -> container.getContainerProperties()
                .setListenerTaskExecutor(new SimpleAsyncTaskExecutor(container.getListenerId() + "-"));
    }

    /**
     * A record that cannot be read or processed goes straight to its topic's dead-letter twin: retrying would
     * not heal it, and the partition must keep moving. A record that failed to deserialize reaches the recoverer
     * as its raw bytes; the byte-array template forwards them unchanged (the JSON serializer would re-encode them).
     */
    @Bean
    CommonErrorHandler deadLetterErrorHandler(KafkaTemplate<Object, Object> template,
                                              ProducerFactory<Object, Object> producerFactory) {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, new KafkaTemplate<>(producerFactory,
                Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
        templates.put(Object.class, template);
        var recoverer = new DeadLetterPublishingRecoverer(templates,
                (record, exception) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        return new DefaultErrorHandler(recoverer, new FixedBackOff(0, 0));
    }
}
