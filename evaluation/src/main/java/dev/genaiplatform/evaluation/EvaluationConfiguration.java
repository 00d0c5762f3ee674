package dev.genaiplatform.evaluation;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.evaluation.events.CompletionEventStore;
import dev.genaiplatform.evaluation.experiments.ExperimentReports;
import dev.genaiplatform.evaluation.feedback.FeedbackStore;
import dev.genaiplatform.evaluation.golden.GoldenSets;
import dev.genaiplatform.evaluation.judge.GroundednessJudge;
import dev.genaiplatform.evaluation.runs.CaseScorer;
import dev.genaiplatform.evaluation.runs.GatewayChatClient;
import dev.genaiplatform.evaluation.runs.OfflineRun;
import dev.genaiplatform.evaluation.runs.Prices;
import dev.genaiplatform.evaluation.runs.RunRepository;
import dev.genaiplatform.evaluation.runs.RunService;
import dev.genaiplatform.evaluation.safety.GuardrailVerdictStore;
import dev.genaiplatform.evaluation.scoring.PassageSource;
import dev.genaiplatform.evaluation.messaging.InvalidCompletionEventException;
import dev.genaiplatform.evaluation.security.EventTokenVerifier;
import dev.genaiplatform.evaluation.security.InternalTokens;
import dev.genaiplatform.evaluation.security.ProblemSecurityHandlers;
import dev.genaiplatform.evaluation.security.SecurityProperties;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.backoff.ExponentialBackOff;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every bean of the service: who may call it, where events, verdicts, feedback and runs are stored, how runs reach the
 * gateway, and what happens to bad records.
 */
@Configuration(proxyBeanMethods = false)
class EvaluationConfiguration {

    private static final int PARTITIONS = 3;
    private static final String SCOPE = "SCOPE_";

    /**
     * Every API needs the gateway's token; feedback is something end users give while chatting, so it needs
     * scope {@code chat}, the rest {@code evaluation}. Actuator lives on the management port, open to probes.
     */
    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/**").permitAll()
                        .requestMatchers("/api/evaluation/feedback/**", "/api/evaluation/feedback")
                        .hasAuthority(SCOPE + InternalToken.SCOPE_CHAT)
                        .requestMatchers("/api/evaluation/**").hasAuthority(SCOPE + InternalToken.SCOPE_EVALUATION)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> { })
                        .authenticationEntryPoint(ProblemSecurityHandlers.invalidToken())
                        .accessDeniedHandler(ProblemSecurityHandlers.insufficientScope(
                                "Feedback needs scope 'chat'; the other evaluation APIs need 'evaluation'.")))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(ProblemSecurityHandlers.invalidToken())
                        .accessDeniedHandler(ProblemSecurityHandlers.insufficientScope(
                                "Feedback needs scope 'chat'; the other evaluation APIs need 'evaluation'.")))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Each distinct token is verified once and remembered until its expiry (see {@link CachingJwtDecoder}). */
    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties) {
        return new CachingJwtDecoder(InternalTokens.decoder(properties));
    }

    @Bean
    EventTokenVerifier eventTokenVerifier(SecurityProperties properties) {
        return new EventTokenVerifier(properties);
    }

    @Bean
    CompletionEventStore completionEventStore(JdbcClient jdbc, MeterRegistry meterRegistry,
                                              EvaluationProperties properties) {
        return new CompletionEventStore(jdbc, meterRegistry, properties.highestTrackableLatency());
    }

    @Bean
    GuardrailVerdictStore guardrailVerdictStore(JdbcClient jdbc, MeterRegistry meterRegistry) {
        return new GuardrailVerdictStore(jdbc, meterRegistry);
    }

    @Bean
    GoldenSets goldenSets() {
        return GoldenSets.committed();
    }

    @Bean
    RunRepository runRepository(JdbcClient jdbc) {
        return new RunRepository(jdbc);
    }

    /** Cited passages are checked against the docs retrieval ingests (the {@code docs} artifact). */
    @Bean
    PassageSource passageSource() {
        return new PassageSource();
    }

    /** Runs call the gateway with the service's own API key, like any client; the caller's tenant owns the record. */
    @Bean(destroyMethod = "close")
    RunService runService(GoldenSets goldenSets, RunRepository runs, EvaluationProperties properties,
                          PassageSource passages) {
        var gateway = properties.gateway();
        var client = new GatewayChatClient(gateway.url(), gateway.apiKey(), gateway.requestTimeout());
        var judge = properties.judge() != null && properties.judge().enabled()
                ? new GroundednessJudge(properties.judge().baseUrl(), properties.judge().apiKey(), properties.judge().model())
                : null;
        var offlineRun = new OfflineRun(client, new CaseScorer(passages, Prices.simulatorDefaults(), judge),
                properties.runs().concurrency());
        return new RunService(goldenSets, runs, offlineRun, properties.runs().bootstrapResamples(),
                properties.runs().maxConcurrentRuns());
    }

    @Bean
    FeedbackStore feedbackStore(JdbcClient jdbc, CompletionEventStore events, MeterRegistry meterRegistry,
                                EvaluationProperties properties) {
        return new FeedbackStore(jdbc, events, meterRegistry, properties.completions().recordingGrace());
    }

    @Bean
    ExperimentReports experimentReports(JdbcClient jdbc, EvaluationProperties properties) {
        return new ExperimentReports(jdbc, properties.runs().bootstrapResamples());
    }

    @Bean
    NewTopic chatCompletionRecordedTopic() {
        return TopicBuilder.name(Topics.CHAT_COMPLETION_RECORDED).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic chatCompletionRecordedDeadLetterTopic() {
        return TopicBuilder.name(Topics.deadLetter(Topics.CHAT_COMPLETION_RECORDED))
                .partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic guardrailVerdictRecordedTopic() {
        return TopicBuilder.name(Topics.GUARDRAILS_VERDICT_RECORDED).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic guardrailVerdictRecordedDeadLetterTopic() {
        return TopicBuilder.name(Topics.deadLetter(Topics.GUARDRAILS_VERDICT_RECORDED))
                .partitions(PARTITIONS).replicas(1).build();
    }

    /**
     * A record that cannot be parsed, carries no valid token or is invalid goes straight to the topic's
     * dead-letter twin with the reason in its headers: none of that heals by trying again. Anything else (the
     * database is down) is retried with a growing pause and no limit, holding the partition: the offset is not
     * committed, so nothing is lost and nothing is dead-lettered for a transient fault. A record that failed to
     * deserialize reaches the recoverer as its original bytes; a byte-array template keeps the dead letter
     * identical to what was received.
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
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        var handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(InvalidCompletionEventException.class);
        return handler;
    }
}
