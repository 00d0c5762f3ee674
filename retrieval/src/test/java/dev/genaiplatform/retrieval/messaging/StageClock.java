package dev.genaiplatform.retrieval.messaging;

import org.aopalliance.intercept.MethodInterceptor;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark only ({@code KafkaSearchCostBenchmark}): {@link System#nanoTime()} at each point a search passes on its
 * way through one JVM (asker, broker and service), keyed by the request's record key, which the reply keeps. The
 * Kafka points are client interceptors (configured by class name); the service's points are a proxy around {@link
 * SearchAnswers} and the token decoder, registered by adding this class as an extra source.
 */
public final class StageClock {

    /** The points, in the order a search passes them. */
    public enum Point {
        ASKED, POLLED, ANSWERING, TOKEN_VERIFIED, ANSWERED, REPLY_HANDED, REPLY_POLLED, CALLER_HAS_IT
    }

    private static final Map<String, long[]> TIMES = new ConcurrentHashMap<>();
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    public static void mark(String key, Point point) {
        if (key != null) {
            long[] times = TIMES.get(key);
            if (times != null) {
                times[point.ordinal()] = System.nanoTime();
            }
        }
    }

    /** Starts timing a request: only keys begun here are recorded. */
    public static void begin(String key) {
        long[] times = new long[Point.values().length];
        TIMES.put(key, times);
        times[Point.ASKED.ordinal()] = System.nanoTime();
    }

    public static long[] end(String key) {
        mark(key, Point.CALLER_HAS_IT);
        return TIMES.remove(key);
    }

    @Bean
    static BeanPostProcessor stageClockProxies() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof SearchAnswers) {
                    ProxyFactory proxy = new ProxyFactory(bean);
                    proxy.setProxyTargetClass(true);
                    proxy.addAdvice((MethodInterceptor) invocation -> {
                        String key = invocation.getArguments()[0] instanceof ConsumerRecord<?, ?> record
                                && record.key() instanceof String k ? k : null;
                        mark(key, Point.ANSWERING);
                        CURRENT.set(key);
                        try {
                            return invocation.proceed();
                        } finally {
                            mark(key, Point.ANSWERED);
                            CURRENT.remove();
                        }
                    });
                    return proxy.getProxy(bean.getClass().getClassLoader());
                }
                if (bean instanceof JwtDecoder decoder) {
                    return (JwtDecoder) token -> {
                        try {
                            return decoder.decode(token);
                        } finally {
                            mark(CURRENT.get(), Point.TOKEN_VERIFIED);
                        }
                    };
                }
                return bean;
            }
        };
    }

    /** On the service's consumers: the request left {@code poll}, deserialized. */
    public static final class Polled extends Consuming {
        public Polled() {
            super(Point.POLLED);
        }
    }

    /** On the asker's reply consumer: the reply left {@code poll}, deserialized. */
    public static final class ReplyPolled extends Consuming {
        public ReplyPolled() {
            super(Point.REPLY_POLLED);
        }
    }

    /** On the service's producer: the reply was handed to {@code KafkaProducer.send} (its create time is set next). */
    public static final class ReplyHanded implements ProducerInterceptor<Object, Object> {
        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            if (record.key() instanceof String key) {
                mark(key, Point.REPLY_HANDED);
            }
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    abstract static class Consuming implements ConsumerInterceptor<Object, Object> {
        private final Point point;

        Consuming(Point point) {
            this.point = point;
        }

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            for (ConsumerRecord<Object, Object> record : records) {
                if (record.key() instanceof String key) {
                    mark(key, point);
                }
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
