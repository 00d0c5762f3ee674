package dev.genaiplatform.launcher.scenario;

import java.util.List;
import java.util.Map;

/**
 * Apple: what the KV cache is and why it speeds up inference. The arithmetic for a real model shape, then the
 * simulator's model of it: a short and a long prompt show prefill (paid once, cached) against decode.
 */
final class KvCache implements Scenario {

    @Override
    public String name() {
        return "kv-cache";
    }

    @Override
    public String question() {
        return "What is the KV cache, and how does it help LLM inference?";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        report.step("KV-cache size for a Llama-3-8B-shaped model (32 layers, 8 KV heads x 128 dims, fp16)");
        double perToken = ModelArithmetic.kvCacheBytes(32, 8, 128, 1, 2);
        report.note(String.format("per token: 2 (K and V) x 32 x 8 x 128 x 2 bytes = %,.0f bytes (%.0f KiB)", perToken, perToken / 1024));
        for (long tokens : List.of(1_024L, 8_192L, 131_072L)) {
            report.note(String.format("%,9d tokens: %6.2f GiB", tokens, ModelArithmetic.kvCacheBytes(32, 8, 128, tokens, 2) / ModelArithmetic.GIB));
        }
        report.note("with 32 query heads sharing 8 KV heads (grouped-query attention) the cache is 4x smaller than full multi-head");
        report.note("without the cache every new token recomputes K and V for the whole prefix: O(n^2) work per answer instead of O(n)");
        report.fact("kvBytesPerToken", perToken);

        report.step("The simulator's serving model keeps a KV-cache budget: sim-small 131,072 tokens in 16-token blocks");
        report.note("a request is admitted to the running batch only when its blocks fit; then each decode step reuses them");

        report.step("Prefill against decode, measured through the gateway: a short and a long question (streamed)");
        long shortFirst = firstTokenMillis(context, "What is RAG?");
        String longQuestion = "Explain how retrieval ranks passages, " + "considering BM25, vectors and fusion, ".repeat(60) + "briefly.";
        long longFirst = firstTokenMillis(context, longQuestion);
        report.saw("time to first token, short prompt", shortFirst + " ms");
        report.saw("time to first token, long prompt", longFirst + " ms");
        report.note("the long prompt pays more prefill before its first token (the simulator prefills sim-small at 40,000 "
                + "tokens/s); after that each token costs one decode step, the cached K and V are not recomputed");
        report.fact("measured", true);

        report.step("Asking the same question twice: a different cache, the platform's exact answer cache");
        Gateway.Reply first = context.ask("sim-small", "What is the KV cache budget of sim-small?", Map.of());
        Gateway.Reply second = context.ask("sim-small", "What is the KV cache budget of sim-small?", Map.of());
        report.saw("first X-Platform-Cache", first.header("X-Platform-Cache"));
        report.saw("second X-Platform-Cache", second.header("X-Platform-Cache") + " (no model call at all)");
        report.fact("secondCache", second.header("X-Platform-Cache"));

        report.lookAt("infra/llm-simulator/README.md, \"The serving model\": kv-cache-tokens, kv-block-tokens, prefill and decode times");
        report.lookAt("infra/llm-simulator/src/main/java/dev/genaiplatform/simulator/serving/ContinuousBatchingEngine.java: admission by KV blocks, continuous batching");
        report.lookAt("simulator_kv_cache_usage (like vLLM's gpu_cache_usage_perc) on the simulator's management port, /actuator/prometheus");
        report.lookAt("X-Platform-Cache: the answer cache sits in front of the model; the KV cache lives inside it");
        report.outOfReach("a real attention kernel and a real KV cache in GPU memory: the simulator models their timing "
                + "and capacity, it computes no attention; prefix caching and paged eviction are not modelled");
    }

    private static long firstTokenMillis(ScenarioContext context, String question) throws Exception {
        List<Gateway.Event> events = context.gateway().stream(Map.of("model", "sim-small", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", question))), Map.of("Cache-Control", "no-cache"));
        return events.stream().filter(e -> !e.data().equals("[DONE]")
                        && !e.json().at("/choices/0/delta/content").asString("").isEmpty())
                .findFirst().orElse(events.getLast()).millis();
    }
}
