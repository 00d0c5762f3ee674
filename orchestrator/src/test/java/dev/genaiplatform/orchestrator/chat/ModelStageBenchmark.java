package dev.genaiplatform.orchestrator.chat;

import com.sun.management.OperatingSystemMXBean;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.prompt.Turn;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Not a test (no assertions on time): the orchestrator's own cost of the model stage of one streamed answer, from the
 * provider's socket to the events the client gets, against a running LLM simulator with instant timing on
 * {@code SIM_URL}. Each way runs the real provider (Spring AI over the OpenAI SDK), the resilience layer (breaker,
 * bulkhead, first-token and idle timeouts), the attempt's accumulator and output check (guardrails played by a checker
 * that answers at once: their Kafka round trip is the output-check stage, not this one) and the SSE writer. Ways
 * alternate in blocks in one JVM; per block the process's CPU time is read, so the CPU per answer is the
 * orchestrator's own (the simulator is another process). Run on demand, with the simulator started as in the README
 * ("Wave 10"): {@code SIM_URL=http://127.0.0.1:18193/v1 ./mvnw -B -q -pl orchestrator -am verify
 * -Dit.test=ModelStageBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}; {@code -DmodelStage.jfr=/tmp/x.jfr}
 * also writes a JFR profile of the measured loop.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "platform.orchestrator.providers.simulator.base-url=${SIM_URL:http://127.0.0.1:18193/v1}",
        "spring.kafka.listener.auto-startup=false", "management.server.port=0",
        // no broker needed; never the default port, where a running platform's consumers would see this JVM
        "spring.kafka.bootstrap-servers=127.0.0.1:1",
        // the same simulator as a second provider that is asked for whole answers non-streamed
        "platform.orchestrator.providers.whole.kind=openai",
        "platform.orchestrator.providers.whole.base-url=${SIM_URL:http://127.0.0.1:18193/v1}",
        "platform.orchestrator.providers.whole.api-key=simulator-key",
        "platform.orchestrator.providers.whole.stream-whole-answers=false",
        "platform.orchestrator.models.sim-small-whole.provider=whole",
        "platform.orchestrator.models.sim-small-whole.model=sim-small",
        "logging.level.dev.genaiplatform=WARN"})
class ModelStageBenchmark {

    private static final int BLOCKS = Integer.getInteger("modelStage.blocks", 30);
    private static final int BLOCK = Integer.getInteger("modelStage.block", 20);
    private static final String BASE = System.getenv().getOrDefault("SIM_URL", "http://127.0.0.1:18193/v1");
    private static final ModelRequest PLAIN = new ModelRequest(null, null, null, null, null, null, null, null, null,
            null, null);
    /** Before wave 10: every chunk went to a new virtual thread, as the output checks still do when they wait. */
    private static final Scheduler EVERY_CHUNK = Schedulers.fromExecutor(
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bench-check-", 0).factory()));

    @Test
    void measure(@Autowired ChatProviders providers, @Autowired ResilientModelCalls calls,
                 @Autowired TokenCounter tokens, @Autowired JsonMapper json) throws Exception {
        String system = systemPrompt();
        String question = "How does retrieval rank passages?";
        GroundedPrompt prompt = new GroundedPrompt(system, List.of(Turn.text("user", question)), List.of(),
                tokens.count(system), 0);
        ChatProviders.ResolvedModel model = providers.resolve("sim-small");

        Map<String, Supplier<Integer>> ways = new LinkedHashMap<>();
        ways.put("streamed, floor: the stream read by the JDK HttpClient (as curl)", floor(system, question, true));
        ways.put("streamed, before: every chunk handed to a virtual thread (wave 9)", () -> stage(calls, model, prompt,
                tokens, json, (pieces, answer) -> answer.concatMap(tagged -> Mono.fromCallable(() -> pieces.accept(tagged))
                        .subscribeOn(EVERY_CHUNK))));
        ways.put("streamed, after: StreamedPieces (inline but for output checks)", () -> stage(calls, model, prompt, tokens, json,
                (pieces, answer) -> pieces.events(answer, EVERY_CHUNK)));
        ways.put("streamed, after, without automatic context propagation", () -> {
            Hooks.disableAutomaticContextPropagation();
            try {
                return stage(calls, model, prompt, tokens, json, (pieces, answer) -> pieces.events(answer, EVERY_CHUNK));
            }
            finally {
                Hooks.enableAutomaticContextPropagation();
            }
        });
        ways.put("whole, floor: the non-streamed answer read by the JDK HttpClient", floor(system, question, false));
        ways.put("whole, streamed from the provider (stream-whole-answers: true)", () -> whole(calls, model, prompt,
                tokens));
        ways.put("whole, asked non-streamed (stream-whole-answers: false)", () -> whole(calls,
                providers.resolve("sim-small-whole"), prompt, tokens));

        Map<String, Integer> failed = new LinkedHashMap<>();
        ways.keySet().forEach(way -> failed.put(way, 0));
        for (int i = 0; i < 200; i++) {   // warm-up: JIT, connections
            ways.forEach((way, call) -> answer(call, way, failed));
        }
        String jfr = System.getProperty("modelStage.jfr");
        Recording recording = null;
        if (jfr != null) {
            recording = new Recording(Configuration.getConfiguration("profile"));
            recording.start();
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, List<Long>> wall = new LinkedHashMap<>();
        Map<String, List<Long>> cpu = new LinkedHashMap<>();
        ways.keySet().forEach(way -> {
            wall.put(way, new ArrayList<>());
            cpu.put(way, new ArrayList<>());
        });
        int chunks = ways.values().iterator().next().get() - 1;   // the data lines but [DONE]
        double loadBefore = os.getSystemLoadAverage();
        for (int b = 0; b < BLOCKS; b++) {
            for (Map.Entry<String, Supplier<Integer>> way : ways.entrySet()) {
                long cpuStart = os.getProcessCpuTime();
                for (int i = 0; i < BLOCK; i++) {
                    long start = System.nanoTime();
                    answer(way.getValue(), way.getKey(), failed);
                    wall.get(way.getKey()).add(System.nanoTime() - start);
                }
                cpu.get(way.getKey()).add((os.getProcessCpuTime() - cpuStart) / BLOCK);
            }
        }
        if (recording != null) {
            recording.dump(Path.of(jfr));
            recording.close();
        }
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "%nModel stage, %d blocks of %d streamed answers each way, alternating (%d chunks per streamed answer; "
                        + "load average %.1f before, %.1f after)%n", BLOCKS, BLOCK, chunks, loadBefore,
                os.getSystemLoadAverage()));
        ways.keySet().forEach(way -> report.append(String.format(Locale.ROOT,
                "  %-64s wall p50 %6.2f p90 %6.2f ms   CPU/answer p50 %6.2f p90 %6.2f ms   failed %d%n", way,
                percentile(wall.get(way), 50), percentile(wall.get(way), 90),
                percentile(cpu.get(way), 50), percentile(cpu.get(way), 90), failed.get(way))));
        System.out.print(report);
        Files.writeString(Path.of("target", "model-stage-benchmark.txt"), report);
    }

    /**
     * One answer; a failed one is counted, not fatal: the wave 9 way now and then fails with Reactor's "Could not emit
     * buffer due to lack of requests" from Spring AI's {@code bufferUntil} (README, Benchmark, "Wave 10").
     */
    private static void answer(Supplier<Integer> call, String way, Map<String, Integer> failed) {
        try {
            call.get();
        }
        catch (RuntimeException ex) {
            failed.merge(way, 1, Integer::sum);
        }
    }

    /** The model stage as the chat flow runs it for a streamed answer; returns the number of events written. */
    private static int stage(ResilientModelCalls calls, ChatProviders.ResolvedModel model, GroundedPrompt prompt,
                             TokenCounter tokens, JsonMapper json,
                             java.util.function.BiFunction<StreamedPieces, Flux<StreamAttempts.Piece>,
                                     Flux<List<ServerSentEvent<String>>>> perChunk) {
        StreamAttempts<StreamedPieces.AttemptState> attempts = new StreamAttempts<>(attempt ->
                new StreamedPieces.AttemptState(new AnswerAccumulator(prompt, tokens),
                        new AnswerOutputCheck(ModelStageBenchmark::passed, 64, 400)));
        AnswerEvents writer = new AnswerEvents("chatcmpl-bench", 0, "sim-small", json);
        StreamedPieces pieces = new StreamedPieces(attempts, writer, () -> { });
        Flux<StreamAttempts.Piece> answer = calls.stream(List.of(model), m -> {
                    int attempt = attempts.start();
                    Flux<ChatResponse> chunks = m.provider().stream(m.modelId(), prompt.messages(), PLAIN);
                    return chunks.map(response -> new StreamAttempts.Piece(attempt, response));
                }, false, Instant.now().plusSeconds(30), attempts::giveUpUnlessCommitted, (m, outcome) -> { });
        List<ServerSentEvent<String>> events = perChunk.apply(pieces, answer)
                .concatMapIterable(Function.identity())
                .concatWith(Mono.fromCallable(() -> {
                    StreamedPieces.AttemptState state = attempts.last();
                    List<ServerSentEvent<String>> closing = new ArrayList<>(pieces.tail(state.output().finish()));
                    closing.addAll(writer.closing(state.answer().finish("chatcmpl-bench", "sim-small"), true, null));
                    return closing;
                }).subscribeOn(EVERY_CHUNK).flatMapIterable(Function.identity()))
                .collectList().block();
        return events.size();
    }

    /** The model stage of a non-streamed answer as the chat flow runs it; returns the answer's length. */
    private static int whole(ResilientModelCalls calls, ChatProviders.ResolvedModel model, GroundedPrompt prompt,
                             TokenCounter tokens) {
        List<ChatResponse> pieces = calls.stream(List.of(model), m -> m.provider().whole(m.modelId(),
                prompt.messages(), PLAIN), true, Instant.now().plusSeconds(30), () -> false, (m, outcome) -> { })
                .collectList().block();
        AnswerAccumulator answer = new AnswerAccumulator(prompt, tokens);
        pieces.forEach(answer::accept);
        String shown = new AnswerOutputCheck(ModelStageBenchmark::passed, 64, 400).whole(answer.text());
        answer.finish("chatcmpl-bench", "sim-small");
        return shown.length();
    }

    private static OutputCheckedReply passed(String text, long offset) {
        return new OutputCheckedReply(null, "answer", Verdict.ALLOWED, text, List.of(), null, null);
    }

    private static Supplier<Integer> floor(String system, String question, boolean streamed) {
        HttpClient http = HttpClient.newHttpClient();
        String body = """
                {"model":"sim-small","stream":%s,%s
                 "messages":[{"role":"system","content":%s},{"role":"user","content":%s}]}"""
                .formatted(streamed, streamed ? "\"stream_options\":{\"include_usage\":true}," : "", quote(system),
                        quote(question));
        return () -> {
            try {
                return (int) http.send(HttpRequest.newBuilder(URI.create(BASE + "/chat/completions"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer simulator-key")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofLines()).body().filter(line -> !streamed || line.startsWith("data:"))
                        .count();
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        };
    }

    /** Four passages as retrieval gives them; the simulator quotes about 160 tokens of them (167 SSE chunks). */
    private static String systemPrompt() {
        List<String> passages = List.of(
                "Retrieval ranks passages by fusing the BM25 keyword ranking with the vector similarity ranking "
                        + "through reciprocal rank fusion, so a passage that both rankers place near the top of their "
                        + "lists rises above passages that only one of them likes, and the fused list is then cut to "
                        + "the few passages that fit the prompt budget. ",
                "The reranker then reads each candidate passage together with the question and reorders the fused "
                        + "list, because a cross-encoder that sees both texts at once ranks passages more precisely "
                        + "than either retrieval ranking alone, at the price of one model call per candidate. ",
                "Chunks keep the heading path of their section, so a passage ranked by retrieval still says where it "
                        + "comes from, and the citation that the answer gives points the reader to the right section "
                        + "of the right document. ",
                "When no passage ranks above the relevance threshold the orchestrator abstains instead of answering, "
                        + "because a model asked to answer from passages that do not contain the answer tends to "
                        + "invent one. ");
        StringBuilder system = new StringBuilder("Answer only from the context passages and cite them as [1], [2].\n\n");
        for (int i = 0; i < passages.size(); i++) {
            system.append('[').append(i + 1).append("] (source: doc").append(i).append(".md > Section)\n")
                    .append(passages.get(i).repeat(3)).append("\n\n");
        }
        return system.toString();
    }

    private static double percentile(List<Long> nanos, int p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
