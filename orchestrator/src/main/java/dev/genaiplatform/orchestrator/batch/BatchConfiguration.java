package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.orchestrator.chat.ChatPipeline;
import dev.genaiplatform.orchestrator.security.InternalTokenVerification;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * The batch lane's beans, kept beside it so its internals stay package-private: the store, the input-file reader, the
 * work queue and its consumers (group {@code orchestrator-batch}: each line is run by one instance), admission control
 * and the sweep.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BatchSettings.class)
class BatchConfiguration {

    static final String CONSUMER_GROUP = "orchestrator-batch";
    /** The bulk lane's own group: its consumers are paused and resumed on their own, without rebalancing the batch lane. */
    static final String BULK_CONSUMER_GROUP = "orchestrator-bulk";
    static final String REVOCATIONS_GROUP = "orchestrator-key-revocations";

    @Bean
    BatchStore batchStore(JdbcClient jdbc, JdbcTemplate template, JsonMapper json, PlatformTransactionManager transactions) {
        return new BatchStore(jdbc, template, json, new TransactionTemplate(transactions));
    }

    /** One bucket per provider for all instances (Redis), each instance's own while Redis is away. */
    @Bean
    ProviderBuckets batchProviderBuckets(BatchSettings settings, ObjectProvider<StringRedisTemplate> redis) {
        StringRedisTemplate template = settings.sharedBuckets() ? redis.getIfAvailable() : null;
        return new ProviderBuckets(settings, System::nanoTime,
                template == null ? null : new SharedProviderBuckets(template));
    }

    @Bean
    ActingTokens batchActingTokens(BatchSettings settings) {
        return new ActingTokens(settings.tokenMargin());
    }

    /** Raw bytes with explicit headers: the records carry the token, and need no type headers. */
    @Bean
    KafkaTemplate<String, byte[]> batchRecords(KafkaProperties kafka) {
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                kafka.buildProducerProperties(), new StringSerializer(), new ByteArraySerializer()));
        template.setObservationEnabled(kafka.getTemplate().isObservationEnabled());
        return template;
    }

    /** Grants are verified like every internal token, expiry included (the record decoder, with the token cache). */
    @Bean
    BatchGrants batchGrants(JwtDecoder internalTokenRecordDecoder) {
        return new BatchGrants(internalTokenRecordDecoder);
    }

    @Bean
    Batches batches(BatchStore store, ChatPipeline pipeline, KafkaTemplate<String, byte[]> batchRecords,
                    ProviderBuckets buckets, ActingTokens tokens, BatchGrants grants, BatchSettings settings,
                    JsonMapper json, ObjectProvider<ObservationRegistry> observations) {
        InputFiles files = new InputFiles(RestClient.builder()
                .observationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP)), settings);
        return new Batches(store, files, new InputLines(pipeline, json), new WorkQueue(batchRecords, json),
                new AdmissionControl(store, buckets, settings.maxQueueWait(), settings.maxBulkQueueWait()), tokens, grants,
                settings);
    }

    @Bean
    BatchWorker batchWorker(BatchStore store, ChatPipeline pipeline, ProviderBuckets buckets, ActingTokens tokens,
                            BatchGrants grants, KafkaTemplate<String, byte[]> batchRecords, BatchSettings settings,
                            JsonMapper json, MeterRegistry meters,
                            @Value("${platform.security.jwk-set-uri}") String jwkSetUri) {
        return new BatchWorker(store, pipeline, buckets, tokens, grants,
                InternalTokenVerification.acceptedWorkDecoder(jwkSetUri), batchRecords, settings, json, meters);
    }

    /**
     * A revocation's token (the gateway signs each, scope admin) is checked without its expiry: an event read after a
     * consumer outage must still stop the key's batches, whatever the age of the admin request that caused it.
     */
    @Bean
    RevokedKeyListener revokedKeyListener(BatchStore store, ActingTokens tokens, JsonMapper json, MeterRegistry meters,
                                          @Value("${platform.security.jwk-set-uri}") String jwkSetUri) {
        return new RevokedKeyListener(store, tokens, InternalTokenVerification.acceptedWorkDecoder(jwkSetUri), json,
                meters);
    }

    /**
     * {@value Topics#GATEWAY_API_KEY_REVOKED}: one group for all instances (the batches live in the shared database,
     * one instance stopping them is enough; per-record commits, so a revocation is never skipped by a crash).
     */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> revokedKeyContainer(RevokedKeyListener listener,
                                                                           KafkaProperties kafka) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, REVOCATIONS_GROUP);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ContainerProperties properties = new ContainerProperties(Topics.GATEWAY_API_KEY_REVOKED);
        properties.setMessageListener(listener);
        properties.setAckMode(ContainerProperties.AckMode.RECORD);
        ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()),
                properties);
        container.setBeanName("orchestrator-key-revocations");
        return container;
    }

    /** Manual acknowledgement: a line waiting for its provider's capacity is handed back to the broker (nack). */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> batchLineContainer(BatchWorker worker, KafkaProperties kafka,
                                                                          BatchSettings settings) {
        return lineContainer(worker, kafka, settings, Topics.CHAT_BATCH_LINE_QUEUED, CONSUMER_GROUP,
                "orchestrator-batch-lines");
    }

    /** The same worker for bulk lines, on their own topic and group, paused by the {@link BulkGate}. */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> bulkLineContainer(BatchWorker worker, KafkaProperties kafka,
                                                                         BatchSettings settings) {
        return lineContainer(worker, kafka, settings, Topics.CHAT_BULK_LINE_QUEUED, BULK_CONSUMER_GROUP,
                "orchestrator-bulk-lines");
    }

    @Bean
    BulkGate bulkGate(BatchStore store,
                      @Qualifier("bulkLineContainer") ConcurrentMessageListenerContainer<String, byte[]> bulkLineContainer,
                      MeterRegistry meters) {
        return new BulkGate(store, bulkLineContainer, BatchWorker.BULK_YIELD, meters);
    }

    private static ConcurrentMessageListenerContainer<String, byte[]> lineContainer(BatchWorker worker,
                                                                                    KafkaProperties kafka,
                                                                                    BatchSettings settings, String topic,
                                                                                    String group, String name) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a line may take a while (slow provider, line timeout): one record per poll keeps the poll interval safe
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setMessageListener(worker);
        properties.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        properties.setObservationEnabled(kafka.getListener().isObservationEnabled());
        ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()),
                properties);
        container.setConcurrency(settings.concurrency());
        container.setBeanName(name);
        return container;
    }

    @Bean
    BatchSweeper batchSweeper(BatchStore store, Batches batches, BatchSettings settings) {
        return new BatchSweeper(store, batches, settings);
    }

    @Bean
    KafkaAdmin.NewTopics batchTopics() {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.CHAT_BATCH_LINE_QUEUED).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.deadLetter(Topics.CHAT_BATCH_LINE_QUEUED)).partitions(1).replicas(1).build(),
                TopicBuilder.name(Topics.CHAT_BULK_LINE_QUEUED).partitions(3).replicas(1).build(),
                TopicBuilder.name(Topics.deadLetter(Topics.CHAT_BULK_LINE_QUEUED)).partitions(1).replicas(1).build(),
                // the gateway's topic; declared here too so the listener finds it on a broker without auto-creation
                TopicBuilder.name(Topics.GATEWAY_API_KEY_REVOKED).partitions(1).replicas(1).build());
    }
}
