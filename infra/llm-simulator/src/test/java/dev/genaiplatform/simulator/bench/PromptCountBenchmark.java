package dev.genaiplatform.simulator.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.genaiplatform.simulator.model.ChatMessage;
import dev.genaiplatform.simulator.tokens.Tokenizer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: CPU and wall time of counting one chat request's prompt tokens, every text counted each time
 * ({@code before}) against long texts' counts remembered ({@code after}), in alternating blocks in one JVM (README
 * "Wave 7"). The prompt is the platform's: a system message with the instructions and five retrieved passages (about
 * 3,800 characters), then the question. Two cases: {@code same passages} (what a load test of one question, or a
 * popular document, sends: the question varies, the system message recurs) and {@code new passages} (every request
 * retrieves text never seen: every lookup misses, so this is what the remembering costs when it does not pay).
 * Arguments: requests per block (2,000), blocks per variant (5, after one of warm-up).
 */
public final class PromptCountBenchmark {

    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%d requests per block, %d blocks per variant; load %.1f%n", requests, blocks,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (boolean samePassages : new boolean[]{true, false}) {
            Tokenizer before = new Tokenizer(o200k, false);
            Tokenizer after = new Tokenizer(o200k, true);
            int serial = 0;
            List<long[]> cpu = List.of(new long[blocks], new long[blocks]);
            List<List<Long>> wall = List.of(new ArrayList<>(), new ArrayList<>());
            for (int block = -1; block < blocks; block++) {
                for (int variant = 0; variant < 2; variant++) {
                    Tokenizer tokenizer = variant == 0 ? before : after;
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < requests; i++) {
                        List<ChatMessage> prompt = prompt(samePassages ? 0 : ++serial, ++serial);
                        long t0 = System.nanoTime();
                        tokenizer.countPrompt(prompt);
                        if (block >= 0) {
                            wall.get(variant).add(System.nanoTime() - t0);
                        }
                    }
                    if (block >= 0) {
                        cpu.get(variant)[block] = (threads.getCurrentThreadCpuTime() - start) / requests;
                    }
                }
            }
            for (int variant = 0; variant < 2; variant++) {
                List<Long> times = wall.get(variant);
                times.sort(null);
                System.out.printf(Locale.ROOT, "%-14s %-6s CPU per request per block (µs): %s; wall p50 %.1f µs, p99 %.1f µs%n",
                        samePassages ? "same passages" : "new passages", variant == 0 ? "before" : "after",
                        Arrays.toString(Arrays.stream(cpu.get(variant)).map(nanos -> nanos / 1_000).toArray()),
                        times.get(times.size() / 2) / 1_000.0, times.get(times.size() * 99 / 100) / 1_000.0);
            }
        }
    }

    /** The orchestrator's grounded prompt: instructions and five passages (varied by {@code passages}), a question. */
    private static List<ChatMessage> prompt(int passages, int question) {
        StringBuilder system = new StringBuilder("You answer questions using only the context passages below. Cite "
                + "each claim with its passage number in brackets, like [1]. If the passages do not contain the answer, "
                + "say that you do not know.\n\nContext passages:\n\n");
        for (int i = 1; i <= 5; i++) {
            system.append('[').append(i).append("] (source: docs/architecture.md > Gateway ").append(passages)
                    .append(")\nThe gateway authenticates every request with the tenant's API key, limits request rates "
                            + "per tenant with a token bucket kept in Redis, and signs an internal token that every "
                            + "service verifies. Retrieval ranks passages by fusing a lexical and a vector ranking; "
                            + "the orchestrator calls the model through a resilience layer with timeouts, retries "
                            + "and a circuit breaker per provider. Passage ").append(i).append(" of request set ")
                    .append(passages).append(".\n\n");
        }
        return List.of(new ChatMessage("system", system.toString()),
                new ChatMessage("user", "How does the gateway limit request rates per tenant? (" + question + ")"));
    }

    private PromptCountBenchmark() {
    }
}
