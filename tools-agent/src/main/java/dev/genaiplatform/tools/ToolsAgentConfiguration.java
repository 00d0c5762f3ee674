package dev.genaiplatform.tools;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import dev.genaiplatform.tokenverification.InternalTokenDecoding;
import dev.genaiplatform.tools.approval.ApprovalDesk;
import dev.genaiplatform.tools.calculator.CalculatorTool;
import dev.genaiplatform.tools.calendar.Calendar;
import dev.genaiplatform.tools.calendar.FindFreeSlotsTool;
import dev.genaiplatform.tools.calendar.ListMeetingsTool;
import dev.genaiplatform.tools.calendar.ScheduleMeetingTool;
import dev.genaiplatform.tools.claims.SubmitClaimTool;
import dev.genaiplatform.tools.documents.RetrievalClient;
import dev.genaiplatform.tools.documents.SearchDocumentsTool;
import dev.genaiplatform.tools.email.SendEmailTool;
import dev.genaiplatform.tools.invocation.ToolCallService;
import dev.genaiplatform.tools.invocation.ToolEvents;
import dev.genaiplatform.tools.invocation.ToolRunner;
import dev.genaiplatform.tools.ledger.ToolCallLedger;
import dev.genaiplatform.tools.mcp.McpToolBridge;
import dev.genaiplatform.tools.mcp.RemoteMcpServers;
import dev.genaiplatform.tools.messaging.KafkaToolEvents;
import dev.genaiplatform.tools.policy.ToolPolicy;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolRegistry;
import dev.genaiplatform.tools.security.KafkaTokenVerifier;
import dev.genaiplatform.tools.security.ProblemWriter;
import dev.genaiplatform.tools.shop.OrderStatusTool;
import dev.genaiplatform.tools.shop.RecommendProductsTool;
import dev.genaiplatform.tools.shop.SearchProductsTool;
import dev.genaiplatform.tools.shop.Shop;
import io.micrometer.observation.ObservationRegistry;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Every bean of the service, in reading order: who may call (tokens), the tools, the policy that limits them, the
 * ledger and runner that make calls exactly-once, approvals, and the Kafka topics and dead letters.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ToolsAgentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ToolsAgentConfiguration.class);
    private static final int PARTITIONS = 3;

    // --- who is calling ---------------------------------------------------------------------------------------

    /**
     * Verifies the gateway's internal tokens: signature from its JWK set, then issuer, audience and expiry; each
     * distinct token once, remembered until its expiry (HTTP, MCP and Kafka share it: see {@link CachingJwtDecoder}).
     */
    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties) {
        NimbusJwtDecoder decoder = InternalTokenDecoding.decoder(properties.jwkSetUri());
        decoder.setJwtValidator(internalTokenValidator());
        return new CachingJwtDecoder(decoder);
    }

    /** Issuer, expiry, audience, and a tenant: a token that names no tenant cannot act for anyone. */
    static OAuth2TokenValidator<Jwt> internalTokenValidator() {
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(InternalToken.ISSUER),
                new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                        aud -> aud != null && aud.contains(InternalToken.AUDIENCE)),
                new JwtClaimValidator<String>(InternalToken.CLAIM_TENANT, tenant -> tenant != null && !tenant.isBlank()));
    }

    /** Every API endpoint (MCP included) needs a valid token with scope {@code agent}; the management port stays open. */
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, JsonMapper json) throws Exception {
        ProblemWriter problems = new ProblemWriter(json);
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        // actuator lives only on the management port (loopback), where probes need no token
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().hasAuthority("SCOPE_" + InternalToken.SCOPE_AGENT))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }

    @Bean
    KafkaTokenVerifier kafkaTokenVerifier(JwtDecoder decoder) {
        return new KafkaTokenVerifier(decoder);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    // --- the tools (a new tool is one more PlatformTool bean) -------------------------------------------------

    @Bean
    CalculatorTool calculatorTool(JsonMapper json) {
        return new CalculatorTool(json);
    }

    @Bean
    Calendar calendar(JdbcTemplate jdbc) {
        return new Calendar(jdbc);
    }

    @Bean
    FindFreeSlotsTool findFreeSlotsTool(JsonMapper json, Calendar calendar) {
        return new FindFreeSlotsTool(json, calendar);
    }

    @Bean
    ListMeetingsTool listMeetingsTool(JsonMapper json, Calendar calendar) {
        return new ListMeetingsTool(json, calendar);
    }

    @Bean
    ScheduleMeetingTool scheduleMeetingTool(JsonMapper json, Calendar calendar) {
        return new ScheduleMeetingTool(json, calendar);
    }

    @Bean
    Shop shop(JdbcTemplate jdbc) {
        return new Shop(jdbc);
    }

    @Bean
    SearchProductsTool searchProductsTool(JsonMapper json, Shop shop) {
        return new SearchProductsTool(json, shop);
    }

    @Bean
    OrderStatusTool orderStatusTool(JsonMapper json, Shop shop) {
        return new OrderStatusTool(json, shop);
    }

    @Bean
    RecommendProductsTool recommendProductsTool(JsonMapper json, Shop shop) {
        return new RecommendProductsTool(json, shop);
    }

    @Bean
    SendEmailTool sendEmailTool(JsonMapper json, JdbcTemplate jdbc) {
        return new SendEmailTool(json, jdbc);
    }

    @Bean
    SubmitClaimTool submitClaimTool(JsonMapper json, JdbcTemplate jdbc, Clock clock) {
        return new SubmitClaimTool(json, jdbc, clock);
    }

    /**
     * The template for events and {@code @SendTo} replies. Declared here because the retrieval client below is a
     * KafkaTemplate too, which would switch Boot's own off; primary, so listeners reply with this one.
     */
    @Bean
    @Primary
    KafkaTemplate<Object, Object> kafkaTemplate(ProducerFactory<Object, Object> producers) {
        KafkaTemplate<Object, Object> template = new KafkaTemplate<>(producers);
        template.setObservationEnabled(true);
        return template;
    }

    /** Asks retrieval and reads its answers on this service's own reply topic: see {@link RetrievalClient}. */
    @Bean
    ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> retrievalClient(
            ProducerFactory<Object, Object> producers, KafkaProperties kafka) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        ProducerFactory<String, SearchCommand> typed = (ProducerFactory) producers;
        return RetrievalClient.create(typed, kafka.buildConsumerProperties());
    }

    @Bean
    SearchDocumentsTool searchDocumentsTool(JsonMapper json,
                                            ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> retrievalClient,
                                            ToolsAgentProperties properties) {
        return new SearchDocumentsTool(json, retrievalClient, properties.retrievalTimeout());
    }

    /** External MCP servers' tools (none unless configured). */
    @Bean(destroyMethod = "close")
    RemoteMcpServers remoteMcpServers(ToolsAgentProperties properties, JsonMapper json) {
        return new RemoteMcpServers(properties.mcpServers(), json);
    }

    @Bean
    ToolRegistry toolRegistry(List<PlatformTool> tools, RemoteMcpServers remote) {
        List<PlatformTool> all = new java.util.ArrayList<>(tools);
        all.addAll(remote.tools());
        return new ToolRegistry(all);
    }

    // --- policy, ledger, runner, approvals --------------------------------------------------------------------

    @Bean
    ToolPolicy toolPolicy(ToolsAgentProperties properties, ToolRegistry registry) {
        ToolPolicy policy = ToolPolicy.load(properties.policyLocation());
        Set<String> unknown = policy.unknownNames(registry.all().stream().map(PlatformTool::name).collect(Collectors.toSet()));
        if (!unknown.isEmpty()) {
            log.warn("The tool policy names tools that are not registered (typos?): {}", unknown);
        }
        return policy;
    }

    @Bean
    ToolCallLedger toolCallLedger(JdbcTemplate jdbc) {
        return new ToolCallLedger(jdbc);
    }

    /** Tools run on virtual threads so a caller can stop waiting; shut down at once, which rolls running calls back. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService toolWorkers() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tool-", 0).factory());
    }

    @Bean
    ToolRunner toolRunner(ToolCallLedger ledger, PlatformTransactionManager transactions, ExecutorService toolWorkers,
                          JsonMapper json, ToolsAgentProperties properties) {
        return new ToolRunner(ledger, new TransactionTemplate(transactions), toolWorkers, json, properties.timeout(),
                properties.lockWait(), properties.holdBeforeCommit());
    }

    @Bean
    ToolEvents toolEvents(KafkaTemplate<Object, Object> kafka) {
        return new KafkaToolEvents(kafka);
    }

    @Bean
    ToolCallService toolCallService(ToolRegistry registry, ToolPolicy policy, ToolCallLedger ledger, ToolRunner runner,
                                    ToolEvents events, JsonMapper json, ObservationRegistry observations,
                                    ToolsAgentProperties properties, Clock clock) {
        return new ToolCallService(registry, policy, ledger, runner, events, json, observations,
                properties.approvalTtl(), clock);
    }

    @Bean
    ApprovalDesk approvalDesk(ToolCallLedger ledger, ToolRegistry registry, ToolPolicy policy, ToolRunner runner,
                              ToolEvents events, PlatformTransactionManager transactions, Clock clock, JsonMapper json) {
        return new ApprovalDesk(ledger, registry, policy, runner, events, new TransactionTemplate(transactions), clock, json);
    }

    /** Runs approved calls a crash left behind and expires unanswered approvals, every {@code sweep-interval}. */
    @Bean
    SchedulingConfigurer approvalSweep(ApprovalDesk desk, ToolsAgentProperties properties) {
        return registrar -> registrar.addFixedDelayTask(desk::sweep, properties.sweepInterval());
    }

    /** The same tools, policy and ledger as an MCP server on {@code /api/tools/mcp} (Spring AI's MCP server starter). */
    @Bean
    List<SyncToolSpecification> platformMcpTools(ToolRegistry registry, ToolCallService calls, JsonMapper json) {
        return new McpToolBridge(registry, calls, json).specifications();
    }

    // --- Kafka topics and dead letters ------------------------------------------------------------------------

    @Bean
    KafkaAdmin.NewTopics toolTopics() {
        List<String> consumed = List.of(Topics.TOOLS_INVOKE, Topics.TOOLS_CALL_STATUS, Topics.TOOLS_DECIDE_APPROVAL);
        List<String> produced = List.of(Topics.TOOLS_TOOL_CALLED, Topics.TOOLS_APPROVAL_REQUESTED, Topics.TOOLS_APPROVAL_DECIDED);
        List<NewTopic> topics = new java.util.ArrayList<>();
        consumed.forEach(topic -> {
            topics.add(TopicBuilder.name(topic).partitions(PARTITIONS).replicas(1).build());
            topics.add(TopicBuilder.name(Topics.deadLetter(topic)).partitions(PARTITIONS).replicas(1).build());
        });
        produced.forEach(topic -> topics.add(TopicBuilder.name(topic).partitions(PARTITIONS).replicas(1).build()));
        // where retrieval answers this service's searches (a reply topic: no dead letters)
        topics.add(TopicBuilder.name(Topics.TOOLS_AGENT_SEARCH_RESULT_REPLIES).partitions(PARTITIONS).replicas(1).build());
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    /** Forwards dead letters byte for byte; a bean, so its own producer factory is closed with the context. */
    @Bean
    KafkaTemplate<Object, Object> deadLetterTemplate(ProducerFactory<Object, Object> producers) {
        return new KafkaTemplate<>(producers, Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /**
     * A record that cannot be read, or carries no valid token, goes straight to its topic's dead-letter twin with
     * the reason in its headers: retrying would not heal it, and the partition must keep moving. Values arrive as
     * bytes and are forwarded unchanged.
     */
    @Bean
    CommonErrorHandler deadLetterErrorHandler(KafkaTemplate<Object, Object> template,
                                              @Qualifier("deadLetterTemplate") KafkaTemplate<Object, Object> deadLetterTemplate) {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, deadLetterTemplate);
        templates.put(Object.class, template);
        var deadLetters = new DeadLetterPublishingRecoverer(templates,
                (record, exception) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        return new DefaultErrorHandler((record, exception) -> {
            // a listener interrupted by a shutdown must not dead-letter its record: failing the recovery leaves the
            // offset uncommitted, so the record is delivered again after the restart (and the ledger dedupes it)
            if (causedByInterrupt(exception)) {
                throw new IllegalStateException("Shutting down: record left for redelivery", exception);
            }
            deadLetters.accept(record, exception);
        }, new FixedBackOff(0, 0));
    }

    private static boolean causedByInterrupt(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
