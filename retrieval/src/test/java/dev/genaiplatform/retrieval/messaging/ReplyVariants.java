package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.messaging.handler.annotation.SendTo;

import java.nio.charset.StandardCharsets;

/**
 * Benchmark only ({@code KafkaSearchCostBenchmark}): two more search listeners beside the service's own, each on a topic
 * of its own, so every variant is measured in one context, block after block: {@link #SEND_TO_TOPIC} answers through
 * {@code @SendTo} as the service did before Wave 9 (the reply topic evaluated per record, the answer converted to a
 * {@code Message} and back); {@link #PLATFORM_THREADS_TOPIC} is the service's own listener method on platform threads
 * instead of Boot's virtual ones. Both commit like the service's listener (every 5 s). Registered as an extra source.
 */
public final class ReplyVariants {

    public static final String SEND_TO_TOPIC = "bench.search-send-to";
    public static final String PLATFORM_THREADS_TOPIC = "bench.search-platform-threads";
    public static final String SEND_TO_ID = "bench-send-to";
    public static final String PLATFORM_THREADS_ID = "bench-platform-threads";

    @Bean
    SendToListener sendToListener(SearchAnswers answers) {
        return new SendToListener(answers);
    }

    @Bean
    PlatformThreadsListener platformThreadsListener(SearchCommandListener listener) {
        return new PlatformThreadsListener(listener);
    }

    @Bean
    ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> platformThreads(
            SearchCommandListener.TimedCommits timedCommits) {
        return container -> {
            timedCommits.postProcess(container);
            container.getContainerProperties().setListenerTaskExecutor(new SimpleAsyncTaskExecutor("bench-platform-"));
        };
    }

    static final class SendToListener {
        private final SearchAnswers answers;

        SendToListener(SearchAnswers answers) {
            this.answers = answers;
        }

        @KafkaListener(id = SEND_TO_ID, groupId = SEND_TO_ID, topics = SEND_TO_TOPIC, concurrency = "3",
                containerPostProcessor = SearchCommandListener.TimedCommits.BEAN)
        @SendTo
        SearchResultReply onSearch(ConsumerRecord<String, SearchCommand> record) {
            try (var tenant = MDC.putCloseable("tenantId", header(record, PlatformHeaders.TENANT_ID));
                 var request = MDC.putCloseable("requestId", header(record, PlatformHeaders.REQUEST_ID))) {
                return answers.answer(record);
            }
        }

        private static String header(ConsumerRecord<?, ?> record, String name) {
            var header = record.headers().lastHeader(name);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    }

    static final class PlatformThreadsListener {
        private final SearchCommandListener listener;

        PlatformThreadsListener(SearchCommandListener listener) {
            this.listener = listener;
        }

        @KafkaListener(id = PLATFORM_THREADS_ID, groupId = PLATFORM_THREADS_ID, topics = PLATFORM_THREADS_TOPIC,
                concurrency = "3", containerPostProcessor = "platformThreads")
        void onSearch(ConsumerRecord<String, SearchCommand> record) {
            listener.onSearch(record);
        }
    }
}
