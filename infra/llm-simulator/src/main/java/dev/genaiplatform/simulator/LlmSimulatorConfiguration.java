package dev.genaiplatform.simulator;

import dev.genaiplatform.simulator.answer.GroundedAnswerComposer;
import dev.genaiplatform.simulator.chat.ChatCompletionHandler;
import dev.genaiplatform.simulator.chat.ModelsHandler;
import dev.genaiplatform.simulator.chat.OpenAiEndpoints;
import dev.genaiplatform.simulator.faults.FaultInjectionFilter;
import dev.genaiplatform.simulator.faults.FaultInjector;
import dev.genaiplatform.simulator.faults.FaultProperties;
import dev.genaiplatform.simulator.inspection.InspectionHandler;
import dev.genaiplatform.simulator.inspection.RequestLog;
import dev.genaiplatform.simulator.limits.ProviderRateLimits;
import dev.genaiplatform.simulator.limits.RateLimitProperties;
import dev.genaiplatform.simulator.limits.RateLimiter;
import dev.genaiplatform.simulator.model.ModelCatalog;
import dev.genaiplatform.simulator.serving.ServingEngine;
import dev.genaiplatform.simulator.serving.ContinuousBatchingEngine;
import dev.genaiplatform.simulator.tokens.Tokenizers;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Every bean of the simulator, in the order a request meets them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SimulatorProperties.class, RateLimitProperties.class, FaultProperties.class})
class LlmSimulatorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ModelCatalog modelCatalog(SimulatorProperties properties) {
        return new ModelCatalog(properties.models() == null ? List.of() : properties.models());
    }

    @Bean
    Tokenizers tokenizers(ModelCatalog catalog) {
        Tokenizers tokenizers = new Tokenizers();
        // load each vocabulary now, not on an event-loop thread during the first request
        catalog.all().forEach(tokenizers::forModel);
        return tokenizers;
    }

    @Bean
    GroundedAnswerComposer groundedAnswerComposer(SimulatorProperties properties) {
        return new GroundedAnswerComposer(properties.answer().maxSentences(), properties.answer().minRelevance());
    }

    @Bean
    ServingEngine servingEngine(ModelCatalog catalog, MeterRegistry meterRegistry) {
        return new ContinuousBatchingEngine(catalog.all(), meterRegistry);
    }

    @Bean
    RequestLog requestLog(SimulatorProperties properties) {
        return new RequestLog(properties.inspection().keptBodies(), properties.inspection().maxTotal().toBytes());
    }

    @Bean
    ProviderRateLimits providerRateLimits(RateLimitProperties properties) {
        return new ProviderRateLimits(new RateLimiter(properties, System::nanoTime));
    }

    @Bean
    FaultInjectionFilter faultInjectionFilter(ServerCodecConfigurer codecs) {
        return new FaultInjectionFilter(codecs);
    }

    @Bean
    FaultInjector faultInjector(FaultProperties properties, MeterRegistry meterRegistry) {
        return new FaultInjector(properties, meterRegistry, () -> ThreadLocalRandom.current().nextDouble());
    }

    @Bean
    ChatCompletionHandler chatCompletionHandler(ModelCatalog catalog, Tokenizers tokenizers,
                                                GroundedAnswerComposer composer, ServingEngine engine,
                                                RequestLog requestLog, JsonMapper json, MeterRegistry meterRegistry,
                                                Clock clock, ProviderRateLimits rateLimits, FaultInjector faults) {
        return new ChatCompletionHandler(catalog, tokenizers, composer, engine, requestLog, json, meterRegistry, clock,
                rateLimits, faults);
    }

    @Bean
    ModelsHandler modelsHandler(ModelCatalog catalog, Clock clock) {
        return new ModelsHandler(catalog, clock);
    }

    @Bean
    RouterFunction<ServerResponse> routes(ChatCompletionHandler chat, ModelsHandler models, RequestLog requestLog,
                                          SimulatorProperties properties) {
        RouterFunction<ServerResponse> openAi = OpenAiEndpoints.routes(chat, models);
        if (!properties.inspection().enabled()) {
            // off: the path does not exist (404), and the request log keeps nothing
            return openAi;
        }
        InspectionHandler inspection = new InspectionHandler(requestLog);
        return openAi.and(RouterFunctions.route()
                .GET("/sim/requests", inspection::list)
                .DELETE("/sim/requests", inspection::clear)
                .build());
    }
}
