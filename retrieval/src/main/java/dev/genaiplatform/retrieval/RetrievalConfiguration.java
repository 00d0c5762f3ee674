package dev.genaiplatform.retrieval;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.ingest.CorpusIngestor;
import dev.genaiplatform.retrieval.ingest.DocumentCatalog;
import dev.genaiplatform.retrieval.ingest.MarkdownDocumentLoader;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.SearchLimits;
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
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every bean of the service, in RAG order: ingest, chunk, embed, index and search, then Kafka plumbing. */
@Configuration(proxyBeanMethods = false)
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
    EmbeddingModel embeddingModel() {
        return new MiniLmEmbeddingModel();
    }

    @Bean
    LuceneHybridVectorStore vectorStore(EmbeddingModel embeddingModel, RetrievalProperties properties) {
        return new LuceneHybridVectorStore(embeddingModel, new HybridSearchSettings(properties.minCandidates(),
                properties.candidatesPerResult(), properties.rrfK(), EMBEDDING_BATCH_SIZE));
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
                                  MarkdownHeadingChunker chunker, LuceneHybridVectorStore store,
                                  DocumentCatalog catalog, ApplicationEventPublisher events) {
        return new CorpusIngestor(properties.documents(), loader, chunker, store, catalog, events);
    }

    @Bean
    ChunkSearch chunkSearch(LuceneHybridVectorStore store, RetrievalProperties properties, MeterRegistry meterRegistry) {
        return new ChunkSearch(store,
                new SearchLimits(properties.defaultTopK(), properties.maxTopK(), properties.maxQueryChars()),
                meterRegistry);
    }

    @Bean
    NewTopic searchTopic() {
        return TopicBuilder.name(Topics.RETRIEVAL_SEARCH).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic searchDeadLetterTopic() {
        return TopicBuilder.name(Topics.deadLetter(Topics.RETRIEVAL_SEARCH)).partitions(PARTITIONS).replicas(1).build();
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
