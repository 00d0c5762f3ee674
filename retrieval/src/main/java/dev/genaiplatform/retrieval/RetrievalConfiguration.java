package dev.genaiplatform.retrieval;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.retrieval.catalog.AuditLog;
import dev.genaiplatform.retrieval.catalog.FileCatalog;
import dev.genaiplatform.retrieval.catalog.SourceTexts;
import dev.genaiplatform.retrieval.citation.CitationSources;
import dev.genaiplatform.retrieval.catalog.VectorStoreCatalog;
import dev.genaiplatform.retrieval.chunking.ChunkingStrategies;
import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.ingest.DocumentParser;
import dev.genaiplatform.retrieval.ingest.DocumentRemoval;
import dev.genaiplatform.retrieval.ingest.IndexMutations;
import dev.genaiplatform.retrieval.ingest.IngestionPipeline;
import dev.genaiplatform.retrieval.ingest.PassageJudging;
import dev.genaiplatform.retrieval.ingest.PassageJudgingSettings;
import dev.genaiplatform.retrieval.catalog.PassageVerdicts;
import dev.genaiplatform.retrieval.ingest.PassageVerdictSweeps;
import dev.genaiplatform.retrieval.messaging.GuardrailsJudge;
import dev.genaiplatform.contracts.guardrails.JudgePassagesCommand;
import dev.genaiplatform.contracts.guardrails.PassagesJudgedReply;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import java.util.HashMap;
import java.util.UUID;
import dev.genaiplatform.retrieval.ingest.IngestionRecovery;
import dev.genaiplatform.retrieval.ingest.IngestionRequests;
import dev.genaiplatform.retrieval.ingest.StoreStaleness;
import dev.genaiplatform.retrieval.messaging.RetrievalEvents;
import dev.genaiplatform.retrieval.rerank.CrossFeatureReranker;
import dev.genaiplatform.retrieval.rerank.HostedReranker;
import dev.genaiplatform.retrieval.rerank.MaximalMarginalRelevance;
import dev.genaiplatform.retrieval.rerank.Reranker;
import dev.genaiplatform.retrieval.search.SearchScopes;
import org.springframework.web.client.RestClient;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import dev.genaiplatform.retrieval.rewrite.HypotheticalAnswers;
import dev.genaiplatform.retrieval.rewrite.ModelHypotheticalAnswers;
import dev.genaiplatform.retrieval.rewrite.ModelQueryRewriter;
import dev.genaiplatform.retrieval.rewrite.QueryRewriter;
import dev.genaiplatform.retrieval.rewrite.RuleBasedQueryRewriter;
import java.net.http.HttpClient;
import org.apache.lucene.store.FSDirectory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.ingest.CorpusIngestor;
import dev.genaiplatform.retrieval.ingest.DocumentCatalog;
import dev.genaiplatform.retrieval.ingest.MarkdownDocumentLoader;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.QueryVectorCache;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.PgVectorChunkIndex;
import dev.genaiplatform.retrieval.search.RecencyBoost;
import dev.genaiplatform.retrieval.search.SearchLimits;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every bean of the service, in RAG order: ingest, chunk, embed, index and search; the catalogue; uploaded-file
 * ingestion and deletion; then Kafka plumbing. Security (the internal token) is in {@code security.SecurityConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RetrievalConfiguration {

    private static final int PARTITIONS = 3;
    private static final int EMBEDDING_BATCH_SIZE = 32;

    @Bean
    MarkdownDocumentLoader markdownDocumentLoader(ResourcePatternResolver resolver, RetrievalProperties properties) {
        return new MarkdownDocumentLoader(resolver, properties.excludedFolders());
    }

    @Bean
    MarkdownHeadingChunker markdownHeadingChunker(RetrievalProperties properties) {
        return new MarkdownHeadingChunker(properties.chunkMaxChars());
    }

    @Bean
    EmbeddingModel embeddingModel(RetrievalProperties properties) {
        var embedding = properties.embedding();
        return new MiniLmEmbeddingModel(new MiniLmEmbeddingModel.Threads(embedding.intraOpThreads(), embedding.spinning(),
                embedding.parallelism() == 0 ? Runtime.getRuntime().availableProcessors() : embedding.parallelism()));
    }

    /** The chunk index, by configuration ({@code platform.retrieval.store.type}): Lucene on disk, or pgvector. */
    @Bean
    ChunkIndex vectorStore(EmbeddingModel embeddingModel, RetrievalProperties properties, DataSource dataSource) throws IOException {
        HybridSearchSettings settings = new HybridSearchSettings(properties.minCandidates(), properties.candidatesPerResult(),
                properties.rrfK(), EMBEDDING_BATCH_SIZE);
        if (properties.store().pgvector()) {
            return new PgVectorChunkIndex(dataSource, embeddingModel, settings, properties.store().pgvectorTable(),
                    properties.store().pgvectorEfSearch());
        }
        Path folder = Path.of(properties.indexDir());
        Files.createDirectories(folder);
        return new LuceneHybridVectorStore(embeddingModel, settings, FSDirectory.open(folder));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    // --- catalogue (PostgreSQL) ---

    /**
     * Guardrails' verdicts about indexed passages, read into memory at start (README, Wave 11); a search's misses are
     * looked up in the table, so verdicts stored by another instance are seen at once (Wave 12). With judging off,
     * only what the table held at start.
     */
    @Bean
    PassageVerdicts passageVerdicts(JdbcClient jdbc, JsonMapper json, PassageJudgingSettings settings,
                                    MeterRegistry meterRegistry) {
        PassageVerdicts verdicts = new PassageVerdicts(jdbc, json, settings.enabled() ? settings.recheckAfter() : null);
        FunctionCounter.builder("retrieval.passage.verdicts.table.lookups", verdicts, PassageVerdicts::tableLookups)
                .description("Queries for passage verdicts missing from memory (searches and indexing)")
                .register(meterRegistry);
        Gauge.builder("retrieval.passage.verdicts.known", verdicts, PassageVerdicts::size)
                .description("Passage verdicts held in memory").register(meterRegistry);
        return verdicts.load();
    }

    /**
     * Sweeps over the index: verdicts of texts no longer indexed are deleted every {@code prune-every}, passages still
     * lacking a verdict under the current policy are judged every {@code judge-every} (README, Wave 12).
     */
    @Bean
    PassageVerdictSweeps passageVerdictSweeps(PassageVerdicts verdicts, PassageJudging judging, ChunkIndex index,
                                              PassageJudgingSettings settings, TaskScheduler scheduler) {
        return new PassageVerdictSweeps(verdicts, judging, index, settings.pruneEvery(),
                settings.enabled() ? settings.judgeEvery() : Duration.ZERO, scheduler);
    }

    /**
     * Newly indexed passages judged once by guardrails (off: no verdicts, every passage screened per request). The
     * replies are read by a group of this instance's own ({@code retrieval-judgements-<uuid>}, from the newest offset,
     * never committed). The replying template is not a bean (one would make Boot drop its own KafkaTemplate); it
     * stops when this bean closes.
     */
    @Bean
    PassageJudging passageJudging(PassageVerdicts verdicts, PassageJudgingSettings settings,
                                  ProducerFactory<Object, Object> producers, KafkaProperties kafka) {
        if (!settings.enabled()) {
            return PassageJudging.off();
        }
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        // the search listener's JSON settings (default type SearchCommand) are not this consumer's: it reads one type
        consumer.keySet().removeIf(key -> key.startsWith("spring.json.") || key.startsWith("spring.deserializer."));
        consumer.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        consumer.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "retrieval-judgements-" + UUID.randomUUID());
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var replies = new KafkaMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(consumer,
                new StringDeserializer(), new JacksonJsonDeserializer<>(PassagesJudgedReply.class).ignoreTypeHeaders()),
                new ContainerProperties(Topics.GUARDRAILS_PASSAGES_JUDGED));
        @SuppressWarnings("unchecked")
        var asks = (ProducerFactory<String, JudgePassagesCommand>) (ProducerFactory<?, ?>) producers;
        var template = new ReplyingKafkaTemplate<>(asks, replies);
        template.setSharedReplyTopic(true); // other instances' replies arrive here too: expected, not an error
        template.setDefaultReplyTimeout(settings.timeout());
        template.start();
        return new PassageJudging(verdicts, new GuardrailsJudge(template, settings.timeout()), settings);
    }

    @Bean
    FileCatalog fileCatalog(JdbcClient jdbc) {
        return new FileCatalog(jdbc);
    }

    @Bean
    VectorStoreCatalog vectorStoreCatalog(JdbcClient jdbc, JsonMapper json, RetrievalProperties properties) {
        return new VectorStoreCatalog(jdbc, json, properties.storeListTtl());
    }

    @Bean
    SourceTexts sourceTexts(JdbcClient jdbc) {
        return new SourceTexts(jdbc);
    }

    @Bean
    CitationSources citationSources(ChunkIndex index, SearchScopes scopes, SourceTexts sourceTexts,
                                    DocumentCatalog corpus, FileCatalog files, DocumentParser parser) {
        return new CitationSources(index, scopes, sourceTexts, corpus, files, parser);
    }

    @Bean
    AuditLog auditLog(JdbcClient jdbc) {
        return new AuditLog(jdbc);
    }

    // --- ingestion of uploaded files, deletion, search scope ---

    @Bean
    DocumentParser documentParser() {
        return new DocumentParser();
    }

    @Bean
    ChunkingStrategies chunkingStrategies(RetrievalProperties properties) {
        return new ChunkingStrategies(properties.chunkMaxChars());
    }

    @Bean
    IndexMutations indexMutations() {
        return new IndexMutations();
    }

    @Bean
    RetrievalEvents retrievalEvents(KafkaTemplate<Object, Object> kafka) {
        return new RetrievalEvents(kafka);
    }

    @Bean
    IngestionRequests ingestionRequests(VectorStoreCatalog stores, RetrievalEvents events, Clock clock) {
        return new IngestionRequests(stores, events, clock);
    }

    @Bean
    IngestionPipeline ingestionPipeline(FileCatalog files, VectorStoreCatalog stores, AuditLog audit, SourceTexts sourceTexts,
                                        DocumentParser parser, ChunkingStrategies strategies, ChunkIndex index,
                                        IndexMutations mutations, RetrievalEvents events, Clock clock,
                                        PassageJudging judging) {
        return new IngestionPipeline(files, stores, audit, sourceTexts, parser, strategies, index, mutations, events, clock,
                judging);
    }

    @Bean
    DocumentRemoval documentRemoval(FileCatalog files, VectorStoreCatalog stores, AuditLog audit,
                                    ChunkIndex index, IndexMutations mutations, RetrievalEvents events, Clock clock) {
        return new DocumentRemoval(files, stores, audit, index, mutations, events, clock);
    }

    @Bean
    IngestionRecovery ingestionRecovery(VectorStoreCatalog stores, ChunkIndex index, RetrievalEvents events,
                                        Clock clock) {
        return new IngestionRecovery(stores, index, events, clock);
    }

    @Bean
    StoreStaleness storeStaleness(JdbcClient jdbc, MeterRegistry meterRegistry) {
        return new StoreStaleness(jdbc, meterRegistry);
    }

    @Bean
    SearchScopes searchScopes(VectorStoreCatalog stores) {
        return new SearchScopes(stores);
    }

    @Bean
    DocumentCatalog documentCatalog(MeterRegistry meterRegistry) {
        DocumentCatalog catalog = new DocumentCatalog();
        Gauge.builder("retrieval.index.documents", catalog, c -> c.snapshot().documents().size())
                .description("Documents in the index").register(meterRegistry);
        Gauge.builder("retrieval.index.chunks", catalog, c -> c.snapshot().chunks())
                .description("Chunks in the index").register(meterRegistry);
        return catalog;
    }

    @Bean
    CorpusIngestor corpusIngestor(RetrievalProperties properties, MarkdownDocumentLoader loader,
                                  MarkdownHeadingChunker chunker, ChunkIndex store,
                                  DocumentCatalog catalog, IngestionRecovery recovery, ApplicationEventPublisher events,
                                  Clock clock, PassageJudging judging) {
        return new CorpusIngestor(properties.documents(), loader, chunker, store, catalog, recovery, events, clock,
                judging);
    }

    /** The second stage, chosen by configuration (platform.retrieval.rerank.strategy). */
    @Bean
    Reranker reranker(RetrievalProperties properties) {
        RetrievalProperties.Rerank rerank = properties.rerank();
        return switch (rerank.strategy()) {
            case "cross-feature" -> new CrossFeatureReranker(CrossFeatureReranker.Weights.DEFAULT);
            case "mmr" -> new MaximalMarginalRelevance(rerank.mmrLambda(), Reranker.NONE);
            case "cross-feature-mmr" -> new MaximalMarginalRelevance(rerank.mmrLambda(),
                    new CrossFeatureReranker(CrossFeatureReranker.Weights.DEFAULT));
            case "hosted" -> new HostedReranker(RestClient.builder().baseUrl(rerank.hostedUrl())
                    .defaultHeaders(headers -> {
                        if (rerank.hostedKey() != null && !rerank.hostedKey().isBlank()) {
                            headers.setBearerAuth(rerank.hostedKey());
                        }
                    }).build(), rerank.hostedModel());
            default -> Reranker.NONE;
        };
    }

    /** Query rewriting (platform.retrieval.rewrite.rewriter): the rules, or a model with the rules standing in. */
    @Bean
    QueryRewriter queryRewriter(RetrievalProperties properties, MeterRegistry meterRegistry) {
        RetrievalProperties.Rewrite rewrite = properties.rewrite();
        QueryRewriter rules = new RuleBasedQueryRewriter(rewrite.maxQueries());
        if (!"model".equals(rewrite.rewriter())) {
            return rules;
        }
        var requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder().connectTimeout(rewrite.timeout()).build());
        requests.setReadTimeout(rewrite.timeout());
        RestClient http = RestClient.builder().baseUrl(rewrite.baseUrl()).requestFactory(requests)
                .defaultHeaders(headers -> {
                    if (rewrite.apiKey() != null && !rewrite.apiKey().isBlank()) {
                        headers.setBearerAuth(rewrite.apiKey());
                    }
                }).build();
        return new ModelQueryRewriter(http, rewrite.model(), rewrite.maxQueries(), rules, meterRegistry);
    }

    /** HyDE's passage writer: a chat model behind an OpenAI-compatible endpoint, called only by searches that ask. */
    @Bean
    HypotheticalAnswers hypotheticalAnswers(RetrievalProperties properties, MeterRegistry meterRegistry) {
        RetrievalProperties.Hyde hyde = properties.hyde();
        var requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder().connectTimeout(hyde.timeout()).build());
        requests.setReadTimeout(hyde.timeout());
        RestClient http = RestClient.builder().baseUrl(hyde.baseUrl()).requestFactory(requests)
                .defaultHeaders(headers -> {
                    if (hyde.apiKey() != null && !hyde.apiKey().isBlank()) {
                        headers.setBearerAuth(hyde.apiKey());
                    }
                }).build();
        return new ModelHypotheticalAnswers(http, hyde.model(), hyde.maxChars(), meterRegistry);
    }

    @Bean
    ChunkSearch chunkSearch(ChunkIndex store, RetrievalProperties properties, MeterRegistry meterRegistry,
                            Reranker reranker, EmbeddingModel embeddingModel, QueryRewriter queryRewriter, Clock clock,
                            HypotheticalAnswers hypotheticalAnswers, PassageVerdicts passageVerdicts) {
        return new ChunkSearch(store,
                new SearchLimits(properties.defaultTopK(), properties.maxTopK(), properties.maxQueryChars()),
                meterRegistry, reranker, embeddingModel, properties.rerank().candidates(), queryRewriter,
                properties.recencyHalfLife() == null ? null : new RecencyBoost(properties.recencyHalfLife(), clock),
                hypotheticalAnswers, new QueryVectorCache(properties.embedding().queryCacheSize()), passageVerdicts);
    }

    @Bean
    NewTopic searchTopic() {
        return TopicBuilder.name(Topics.RETRIEVAL_SEARCH).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic searchDeadLetterTopic() {
        return TopicBuilder.name(Topics.deadLetter(Topics.RETRIEVAL_SEARCH)).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic ingestionRequestedTopic() {
        return TopicBuilder.name(Topics.RETRIEVAL_INGESTION_REQUESTED).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic ingestionRequestedDeadLetterTopic() {
        return TopicBuilder.name(Topics.deadLetter(Topics.RETRIEVAL_INGESTION_REQUESTED)).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic ingestionProgressedTopic() {
        return TopicBuilder.name(Topics.RETRIEVAL_INGESTION_PROGRESSED).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic documentDeletedTopic() {
        return TopicBuilder.name(Topics.RETRIEVAL_DOCUMENT_DELETED).partitions(PARTITIONS).replicas(1).build();
    }

    /**
     * A command that cannot be read or answered goes straight to the topic's dead-letter twin, so it never
     * blocks its partition; no retries, since neither failure heals by trying again. A record that failed to
     * deserialize reaches the recoverer as its raw bytes, which the JSON serializer would re-encode as a base64
     * string: a byte-array template keeps the dead letter byte-for-byte what was received.
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
