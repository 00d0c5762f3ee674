package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.evaluation.aggregates.CompletionAggregator;
import dev.genaiplatform.evaluation.aggregates.CompletionEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import java.time.Duration;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class AggregatesControllerTests {

    private final CompletionAggregator aggregator =
            new CompletionAggregator(100, Duration.ofMinutes(10), new SimpleMeterRegistry());
    private MockMvc mvc;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.standaloneSetup(new AggregatesController(aggregator))
                .setControllerAdvice(new ApiProblems())
                .build();
        aggregator.record(CompletionEvents.answered("acme", "sim-small").streamed(true).tokens(412, 58)
                .latency(230, 41L).build());
        aggregator.record(CompletionEvents.answered("acme", "sim-large").build());
        aggregator.record(CompletionEvents.answered("globex", "sim-small").build());
        aggregator.record(CompletionEvents.answered("globex", "sim-secret").build());
    }

    @Test
    void returnsOnlyTheCallersTenantRows() throws Exception {
        mvc.perform(get("/api/evaluation/aggregates").header("X-Tenant-Id", "acme"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$", hasSize(2)))
                .andExpect(jsonPath("$[*].tenantId", everyItem(is("acme"))))
                .andExpect(jsonPath("$[*].model").value(contains("sim-large", "sim-small")));

        mvc.perform(get("/api/evaluation/aggregates").header("X-Tenant-Id", "globex"))
                .andExpect(jsonPath("$[*].tenantId", everyItem(is("globex"))))
                .andExpect(jsonPath("$[*].model").value(contains("sim-secret", "sim-small")));
    }

    @Test
    void writesEachFigureUnderANameThatStatesItsUnit() throws Exception {
        mvc.perform(get("/api/evaluation/aggregates").header("X-Tenant-Id", "acme").param("model", "sim-small"))
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].requests").value(1))
                .andExpect(jsonPath("$[0].outcomes.ANSWERED").value(1))
                .andExpect(jsonPath("$[0].outcomes.FAILED").value(0))
                .andExpect(jsonPath("$[0].refusals").value(0))
                .andExpect(jsonPath("$[0].streamedRequests").value(1))
                .andExpect(jsonPath("$[0].promptTokens").value(412))
                .andExpect(jsonPath("$[0].completionTokens").value(58))
                .andExpect(jsonPath("$[0].latencyMillis.p99").value(230))
                .andExpect(jsonPath("$[0].timeToFirstTokenMillis.max").value(41))
                .andExpect(jsonPath("$[0].guardrailVerdicts.ALLOWED").value(1));
    }

    @Test
    void filtersByModelWithinTheTenant() throws Exception {
        mvc.perform(get("/api/evaluation/aggregates").header("X-Tenant-Id", "acme").param("model", "sim-large"))
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].model").value("sim-large"));

        mvc.perform(get("/api/evaluation/aggregates").header("X-Tenant-Id", "acme").param("model", "sim-secret"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(0)));
    }

    @Test
    void answersUnauthorizedProblemWithoutATenantHeader() throws Exception {
        for (String tenant : new String[] {null, " "}) {
            var request = get("/api/evaluation/aggregates");
            if (tenant != null) {
                request.header("X-Tenant-Id", tenant);
            }
            mvc.perform(request)
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("urn:genai-platform:problem:missing-tenant"))
                    .andExpect(jsonPath("$.status").value(401))
                    .andExpect(jsonPath("$.instance").value("/api/evaluation/aggregates"))
                    .andExpect(jsonPath("$.error.code").value("missing-tenant"))
                    .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                    .andExpect(jsonPath("$.error.message").value(containsString("X-Tenant-Id")));
        }
    }
}
