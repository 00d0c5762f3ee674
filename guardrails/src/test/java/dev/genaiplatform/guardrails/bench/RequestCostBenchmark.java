package dev.genaiplatform.guardrails.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.detection.MiniLm;
import dev.genaiplatform.guardrails.detection.Pseudonyms;
import dev.genaiplatform.guardrails.detection.QuestionEmbeddings;
import dev.genaiplatform.guardrails.detection.RecentEmbeddings;
import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.genaiplatform.guardrails.injection.PromptInjectionDetector;
import dev.genaiplatform.guardrails.moderation.ModerationClassifier;
import dev.genaiplatform.guardrails.moderation.ModerationDetector;
import dev.genaiplatform.guardrails.ner.NameFinderDetector;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.output.UntrustedVerdicts;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What one chat request's checks cost guardrails in CPU, before and after a change, side by side in one JVM:
 * the variants take turns, round after round, on the same requests, so the machine's load hits them alike. CPU
 * is the process's CPU time ({@code getProcessCpuTime}: every thread, ONNX Runtime's native workers included),
 * divided by the requests of the round. No Kafka: the checks as the listeners call them.
 *
 * <p>One request: the input check of a client's system prompt and a question nobody asked before (so MiniLM reads
 * it), the five passages of its search in one command (drawn with a skew from the docs' paragraphs, so popular
 * ones repeat and meet the verdict cache), and the output check of its answer (new text, so moderation embeds
 * it). Every third request is the next turn of a conversation: the previous question and answer come again.
 *
 * <pre>guardrails/run-main.sh dev.genaiplatform.guardrails.bench.RequestCostBenchmark 8 40</pre>
 * (rounds, requests per variant and round)
 */
public final class RequestCostBenchmark {

    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        List<String> passages = passages();
        Map<String, Checks> variants = new LinkedHashMap<>();
        variants.put("before: langchain4j's MiniLM session, name finder without memory",
                Checks.wire(new AllMiniLmL6V2QuantizedEmbeddingModel(), new NameFinderDetector()));
        variants.put("MiniLM without spinning (2 threads), name finder without memory",
                Checks.wire(new MiniLm(), new NameFinderDetector()));
        variants.put("after: MiniLM without spinning, name finder remembering",
                Checks.wire(new MiniLm(), NameFinderDetector.remembering(10_000)));
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        variants.keySet().forEach(name -> results.put(name, new ArrayList<>()));
        // warm-up: JIT, the sessions' first runs
        variants.values().forEach(checks -> checks.run(0, 20, passages));
        for (int round = 0; round < rounds; round++) {
            for (var variant : variants.entrySet()) {
                Thread.sleep(300); // the previous variant's ONNX workers stop spinning
                long cpu = OS.getProcessCpuTime();
                long[] walls = variant.getValue().run(20 + round * perRound, perRound, passages);
                long used = OS.getProcessCpuTime() - cpu;
                Arrays.sort(walls);
                results.get(variant.getKey()).add(new double[] {used / 1e6 / perRound, walls[walls.length / 2] / 1e6,
                        walls[walls.length * 99 / 100] / 1e6});
                System.out.printf(Locale.ROOT, "round %d %-70s %6.2f ms CPU/request%n", round, variant.getKey(),
                        used / 1e6 / perRound);
            }
        }
        System.out.printf(Locale.ROOT, "%n%d rounds x %d requests; load average %s%n", rounds, perRound,
                Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.println("| variant | CPU per request (median of rounds) | min..max | wall p50 | wall p99 |");
        System.out.println("|---|---|---|---|---|");
        for (var result : results.entrySet()) {
            double[] cpu = result.getValue().stream().mapToDouble(r -> r[0]).sorted().toArray();
            double[] p50 = result.getValue().stream().mapToDouble(r -> r[1]).sorted().toArray();
            double[] p99 = result.getValue().stream().mapToDouble(r -> r[2]).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f..%.2f | %.1f ms | %.1f ms |%n", result.getKey(),
                    cpu[cpu.length / 2], cpu[0], cpu[cpu.length - 1], p50[p50.length / 2], p99[p99.length / 2]);
        }
        System.exit(0);
    }

    /** The service's checks, wired as {@code GuardrailsConfiguration} wires them, over a given MiniLM and name finder. */
    record Checks(GuardrailPipeline pipeline, OutputChecker output, QuestionEmbeddings questions, NamedPolicy policy) {

        static Checks wire(EmbeddingModel model, NameFinderDetector names) {
            var miniLm = new RecentEmbeddings(model, 256);
            var pii = new PiiDetector();
            var injection = new PromptInjectionDetector(InjectionClassifier.load(miniLm));
            var moderation = new ModerationDetector(ModerationClassifier.load(miniLm), null);
            var pipeline = new GuardrailPipeline(new InputSizeDetector(32_000), List.of(pii, names, injection, moderation),
                    new SimpleMeterRegistry());
            var output = new OutputChecker(pii, injection, moderation, UntrustedVerdicts.bounded(10_000, Duration.ofHours(1)));
            return new Checks(pipeline, output, new QuestionEmbeddings(miniLm), VerdictRegression.shippedPolicies().getFirst());
        }

        /** Requests {@code first} to {@code first + count - 1}; the wall time of each, nanoseconds. */
        long[] run(int first, int count, List<String> passages) {
            long[] walls = new long[count];
            for (int i = 0; i < count; i++) {
                long started = System.nanoTime();
                request(first + i, passages);
                walls[i] = System.nanoTime() - started;
            }
            return walls;
        }

        private void request(int n, List<String> passages) {
            Random random = new Random(n); // the same request for every variant
            String question = question(n);
            List<ChatMessage> messages = new ArrayList<>();
            messages.add(new ChatMessage("system", "You are the documentation assistant of Example Corp. Answer from "
                    + "the passages, cite them as [n], and say you do not know when they do not hold the answer."));
            if (n % 3 == 2) { // the next turn of the previous request's conversation
                messages.add(new ChatMessage("user", question(n - 1)));
                messages.add(new ChatMessage("assistant", answer(n - 1, passages)));
            }
            messages.add(new ChatMessage("user", question));
            var command = new CheckInputCommand("r-" + n, messages);
            var outcome = pipeline.check(command, policy, Pseudonyms.perRequest());
            questions.of(command, outcome.reply());
            List<String> search = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                search.add(passages.get((int) Math.min(passages.size() - 1,
                        Math.abs(random.nextGaussian()) * passages.size() / 4)));
            }
            output.check(CheckOutputCommand.untrusted("r-" + n, CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, search, null),
                    policy);
            output.check(new CheckOutputCommand("r-" + n, CheckOutputCommand.SOURCE_ANSWER, answer(n, passages), 0,
                    "cnry-0a1b2c3d", "You are the documentation assistant. cnry-0a1b2c3d", List.of("docs.example"),
                    null, null), policy);
        }
    }

    private static final String[] ASKED = {"How does hybrid search combine BM25 and vector similarity",
            "What does the gateway do when a tenant runs out of budget", "Which topics does the orchestrator use for checks",
            "How are retrieved passages wrapped before they reach the model", "Why is the verdict cache keyed by policy",
            "Where do evaluation results go"};
    private static final String[] ASPECTS = {"in production", "for a new tenant", "under load", "after a restart",
            "with streaming on", "in the local platform", "when Redis is down", "for batch work"};

    /** A question nobody asked before: a template, an aspect and the request's number in words of digits. */
    static String question(int n) {
        return ASKED[n % ASKED.length] + " " + ASPECTS[(n / ASKED.length) % ASPECTS.length] + ", in case " + n + "?";
    }

    /** An answer of about 300 characters: two sentences of the docs and the request's own words. */
    static String answer(int n, List<String> passages) {
        String passage = passages.get(n % passages.size());
        String[] sentences = passage.split("(?<=\\.) ");
        return "In short, for case " + n + ": " + sentences[0] + (sentences.length > 1 ? " " + sentences[1] : "") + " [1]";
    }

    static List<String> passages() throws Exception {
        List<String> passages = new ArrayList<>();
        Path docs = Files.isDirectory(Path.of("docs")) ? Path.of("docs") : Path.of("../docs");
        try (Stream<Path> files = Files.walk(docs)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".md") && !path.toString().contains("target")).sorted().toList()) {
                for (String paragraph : Files.readString(file).split("\\n\\s*\\n")) {
                    if (paragraph.strip().length() >= 200 && paragraph.strip().length() <= 1_500) {
                        passages.add(paragraph.strip());
                    }
                }
            }
        }
        return passages;
    }

    private RequestCostBenchmark() {
    }
}
