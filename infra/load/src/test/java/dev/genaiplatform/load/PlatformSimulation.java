package dev.genaiplatform.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.util.List;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The platform under load, through the gateway only, as a client sees it. One simulation, the scenario
 * and workload model chosen by {@link LoadParameters} (run with {@code infra/load/run.sh}):
 * <ul>
 *   <li>{@code chat}: a question, the whole answer in one response;</li>
 *   <li>{@code streaming}: the same, streamed as server-sent events; time to the first event and to
 *       {@code [DONE]} are reported separately;</li>
 *   <li>{@code retrieval}: a search with a large top-k, then a question over the documents;</li>
 *   <li>{@code mix}: several tenants (one API key each), 60 % chat, 30 % streaming, 10 % retrieval;</li>
 *   <li>{@code spike}: {@code users} requests arriving at once after a second of quiet;</li>
 *   <li>{@code batch}: long answers ({@code maxTokens}) from a fixed pool of workers.</li>
 * </ul>
 * Open model: {@code rate} new requests per second whatever the answers do (how real users arrive, and
 * how overload shows). Closed model: {@code users} users, each asking again as soon as answered (how
 * batch jobs behave; it hides overload by slowing down). The run fails if more than
 * {@code maxErrorPercent} (default 1) of the requests fail.
 */
public class PlatformSimulation extends Simulation {

    private static final List<String> QUESTIONS = List.of(
            "How does retrieval rank passages?",
            "How does the gateway limit request rates per tenant?",
            "What does the orchestrator do when the model provider is down?",
            "How are guardrails applied to the input and the output?",
            "Why does every service run in its own JVM?",
            "How is a completion evaluated after it is served?");

    /** A stream that has not finished in this long counts as failed: a stalled stream, never a hang. */
    private static final java.time.Duration STREAM_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final LoadParameters parameters = LoadParameters.from(System::getProperty);

    private final FeederBuilder<Object> questions = listFeeder(QUESTIONS.stream()
            .map(q -> Map.<String, Object>of("question", q)).toList()).circular();

    private final FeederBuilder<Object> tenants = listFeeder(parameters.apiKeys().stream()
            .map(key -> Map.<String, Object>of("apiKey", key)).toList()).random();

    private final HttpProtocolBuilder protocol = withCachePolicy(http.baseUrl(parameters.target().toString())
            .contentTypeHeader("application/json")
            .header("Authorization", "Bearer #{apiKey}")
            .shareConnections());

    /** {@code -Dcache=bypass}: every request runs the whole pipeline instead of meeting the answer cache. */
    private HttpProtocolBuilder withCachePolicy(HttpProtocolBuilder protocol) {
        return parameters.cache() == LoadParameters.Cache.BYPASS ? protocol.header("Cache-Control", "no-cache")
                : protocol;
    }

    private String completion(boolean stream, int maxTokens) {
        return "{\"model\":\"" + parameters.model() + "\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"#{question}\"}]}";
    }

    private ChainBuilder chat(int maxTokens) {
        return exec(http("chat").post("/v1/chat/completions").body(StringBody(completion(false, maxTokens)))
                .check(status().is(200), jsonPath("$.choices[0].message.content").exists()));
    }

    /**
     * A streamed answer as server-sent events: Gatling reports the time to the first event (the role
     * chunk: what a user waits for) and to {@code [DONE]} (the whole answer) as two entries.
     */
    private ChainBuilder streaming() {
        return exec(sse("chat (stream)").post("/v1/chat/completions").header("Accept", "text/event-stream")
                .body(StringBody(completion(true, parameters.maxTokens())))
                .await(STREAM_TIMEOUT).on(
                        // the message arrives as JSON whose data field holds the chunk, its quotes escaped
                        sse.checkMessage("first event").check(substring("chat.completion.chunk").exists()),
                        sse.checkMessage("done").matching(substring("[DONE]")).check(substring("[DONE]").exists())))
                .exec(sse("close stream").close());
    }

    private ChainBuilder retrievalHeavy() {
        return exec(http("search").get("/api/retrieval/search").queryParam("q", "#{question}").queryParam("k", "20")
                .check(status().is(200)))
                .exec(chat(parameters.maxTokens()));
    }

    private ScenarioBuilder scenarioFor(LoadParameters.Scenario kind) {
        ScenarioBuilder base = scenario(kind.name().toLowerCase()).feed(tenants).feed(questions);
        return switch (kind) {
            case CHAT, SPIKE -> base.exec(chat(parameters.maxTokens()));
            case STREAMING -> base.exec(streaming());
            case RETRIEVAL -> base.exec(retrievalHeavy());
            case MIX -> base.exec(randomSwitch().on(
                    percent(60).then(chat(parameters.maxTokens())),
                    percent(30).then(streaming()),
                    percent(10).then(retrievalHeavy())));
            case BATCH -> base.exec(chat(parameters.maxTokens()));
        };
    }

    private PopulationBuilder population() {
        ScenarioBuilder scenario = scenarioFor(parameters.scenario());
        if (parameters.scenario() == LoadParameters.Scenario.SPIKE) {
            return scenario.injectOpen(nothingFor(1), atOnceUsers(parameters.users()));
        }
        boolean closed = parameters.workload() == LoadParameters.Workload.CLOSED
                || parameters.scenario() == LoadParameters.Scenario.BATCH;
        if (closed) {
            return scenario.injectClosed(constantConcurrentUsers(parameters.users()).during(parameters.duration()));
        }
        var arrivals = constantUsersPerSec(parameters.rate()).during(parameters.duration());
        // Poisson: exponential gaps between arrivals, what the capacity model's queueing formula assumes
        return scenario.injectOpen(parameters.arrivals() == LoadParameters.Arrivals.POISSON ? arrivals.randomized() : arrivals);
    }

    {
        System.out.println("Load run: " + parameters);
        setUp(population()).protocols(protocol)
                .assertions(global().failedRequests().percent()
                        .lte(Double.parseDouble(System.getProperty("maxErrorPercent", "1"))));
    }
}
