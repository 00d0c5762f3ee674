package dev.genaiplatform.guardrails.bench;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.guardrails.TestTokens;
import dev.genaiplatform.guardrails.injection.EncodedPayloads;
import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.genaiplatform.guardrails.injection.InjectionRules;
import dev.genaiplatform.guardrails.injection.NormalisedText;
import dev.genaiplatform.guardrails.injection.PromptInjectionDetector;
import dev.genaiplatform.guardrails.moderation.ModerationRules;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.output.UntrustedVerdicts;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.policy.Action;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import dev.genaiplatform.guardrails.security.InternalTokenSecurity;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * This wave's savings, each measured before and after in one JVM, alternating rounds so both sides see the same
 * machine load. A {@code main} run by hand (command and numbers in the README):
 *
 * <ol>
 *   <li>internal token: ES256 verification of the same token on every record, against {@link CachingJwtDecoder};</li>
 *   <li>injection rules: every regex over every text, against the literal prefilter, on the docs' paragraphs
 *       (the retrieval corpus) as the detector reads them (normalised and ROT13);</li>
 *   <li>a search's five passages: five single checks (as the orchestrator sent them) against one command of five
 *       texts with the verdict cache, cold (first sight of each passage) and warm (seen before). In process:
 *       the four Kafka round trips the single command saves are not in these numbers.</li>
 * </ol>
 */
public final class CheapChecksBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> paragraphs = docsParagraphs();
        System.out.printf(Locale.ROOT, "%d docs paragraphs, %d to %d characters (median %d); %d rounds, before and after alternating%n%n",
                paragraphs.size(), paragraphs.stream().mapToInt(String::length).min().orElse(0),
                paragraphs.stream().mapToInt(String::length).max().orElse(0),
                paragraphs.stream().mapToInt(String::length).sorted().skip(paragraphs.size() / 2).findFirst().orElse(0), rounds);
        String parts = args.length > 1 ? args[1] : "tokens,rules,passages";
        if (parts.contains("tokens")) {
            tokens(rounds);
        }
        if (parts.contains("rules")) {
            rules(rounds, paragraphs);
        }
        if (parts.contains("passages")) {
            passages(Math.max(1, rounds / 2), paragraphs);
        }
    }

    private static void tokens(int rounds) {
        NimbusJwtDecoder nimbus = NimbusJwtDecoder
                .withJwkSource(new ImmutableJWKSet<>(new JWKSet(TestTokens.GATEWAY_KEY.toPublicJWK())))
                .jwsAlgorithm(SignatureAlgorithm.ES256).build();
        nimbus.setJwtValidator(InternalTokenSecurity.validator());
        JwtDecoder cached = new CachingJwtDecoder(nimbus);
        // one request's token on the ~8 records it causes: 1 distinct token per 8 verifications
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            tokens.add(TestTokens.token("tenant-" + i, "chat"));
        }
        long[] before = new long[rounds];
        long[] after = new long[rounds];
        for (int round = -1; round < rounds; round++) {
            long b = cpu(() -> tokens.forEach(token -> { for (int r = 0; r < 8; r++) nimbus.decode(token); }));
            long a = cpu(() -> tokens.forEach(token -> { for (int r = 0; r < 8; r++) cached.decode(token); }));
            if (round >= 0) {
                before[round] = b;
                after[round] = a;
            }
            tokens.replaceAll(token -> TestTokens.token("tenant-" + token.hashCode(), "chat"));
        }
        report("token: 8 records of one request, per request (CPU)", before, after, tokens.size());
    }

    private static void rules(int rounds, List<String> paragraphs) {
        List<String> readings = new ArrayList<>();
        for (String paragraph : paragraphs) {
            String normalised = NormalisedText.of(paragraph).text();
            readings.add(normalised);
            readings.add(EncodedPayloads.rot13(normalised));
        }
        long[] before = new long[rounds];
        long[] after = new long[rounds];
        int[] sink = new int[1];
        for (int round = -2; round < rounds; round++) {
            long b = cpu(() -> readings.forEach(text -> sink[0] += InjectionRules.findWithoutPrefilter(text).size()));
            long a = cpu(() -> readings.forEach(text -> sink[0] += InjectionRules.find(text).size()));
            if (round >= 0) {
                before[round] = b;
                after[round] = a;
            }
        }
        report("injection rules, per paragraph (normalised + ROT13 reading) (CPU)", before, after, paragraphs.size());
        List<String> normalisedOnly = paragraphs.stream().map(text -> NormalisedText.of(text).text()).toList();
        long[] moderationBefore = new long[rounds];
        long[] moderationAfter = new long[rounds];
        for (int round = -2; round < rounds; round++) {
            long b = cpu(() -> normalisedOnly.forEach(text -> sink[0] += ModerationRules.findWithoutPrefilter(text).size()));
            long a = cpu(() -> normalisedOnly.forEach(text -> sink[0] += ModerationRules.find(text).size()));
            if (round >= 0) {
                moderationBefore[round] = b;
                moderationAfter[round] = a;
            }
        }
        report("moderation rules, per paragraph (CPU)", moderationBefore, moderationAfter, paragraphs.size());
        // shaped PII runs on questions and answer windows: sentences of the docs, as windows of one or two sentences
        List<String> sentences = paragraphs.stream().flatMap(text -> Stream.of(text.split("(?<=[.?!])\\s+")))
                .filter(text -> text.length() >= 20).toList();
        PiiDetector pii = new PiiDetector();
        long[] piiBefore = new long[rounds];
        long[] piiAfter = new long[rounds];
        for (int round = -2; round < rounds; round++) {
            long b = cpu(() -> sentences.forEach(text -> sink[0] += pii.findWithoutPrefilter(text).size()));
            long a = cpu(() -> sentences.forEach(text -> sink[0] += pii.find(text).size()));
            if (round >= 0) {
                piiBefore[round] = b;
                piiAfter[round] = a;
            }
        }
        report("shaped PII, per docs sentence (" + sentences.size() + ", "
                + sentences.stream().filter(text -> text.chars().noneMatch(Character::isDigit)).count()
                + " without a digit) (CPU)", piiBefore, piiAfter, sentences.size());
        PromptInjectionDetector rulesOnly = new PromptInjectionDetector(null);
        long[] assess = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            assess[round] = cpu(() -> paragraphs.forEach(text -> sink[0] += rulesOnly.assess(text).spans().size()));
        }
        System.out.printf(Locale.ROOT, "| whole rules path after (normalise, decode, rules), per paragraph (CPU) | | %.1f µs | |%n",
                median(assess) / paragraphs.size() / 1e3);
    }

    private static void passages(int rounds, List<String> paragraphs) {
        // MiniLM without the service's RecentEmbeddings (256 windows): with it, the one-by-one side would read the
        // previous round's passages from memory and measure a cache too
        var injection = new PromptInjectionDetector(InjectionClassifier.load(new AllMiniLmL6V2QuantizedEmbeddingModel()));
        var policy = new NamedPolicy("default", new GuardrailPolicy(Set.of("pii", "ner", "injection", "moderation"),
                Action.MASK, Map.of(), 0.9, null));
        OutputChecker oneByOne = new OutputChecker(new PiiDetector(), injection, null);
        // passages of a retrieval chunk's length (the docs' paragraphs up to 1,500 characters), five per search
        List<String> passages = paragraphs.stream().filter(text -> text.length() <= 1_500).limit(100).toList();
        List<List<String>> searches = new ArrayList<>();
        for (int i = 0; i + 5 <= passages.size(); i += 5) {
            searches.add(passages.subList(i, i + 5));
        }
        long[] before = new long[rounds];
        long[] cold = new long[rounds];
        long[] warm = new long[rounds];
        for (int round = -1; round < rounds; round++) {
            OutputChecker batched = new OutputChecker(new PiiDetector(), injection, null,
                    UntrustedVerdicts.bounded(10_000, Duration.ofHours(1)));
            long b = time(() -> searches.forEach(search -> search.forEach(text -> oneByOne.check(new CheckOutputCommand(
                    "r", CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, text, 0, null, null, List.of(), null, null), policy))));
            long c = time(() -> searches.forEach(search -> batched.check(
                    CheckOutputCommand.untrusted("r", CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, search, null), policy)));
            long w = time(() -> searches.forEach(search -> batched.check(
                    CheckOutputCommand.untrusted("r", CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, search, null), policy)));
            if (round >= 0) {
                before[round] = b;
                cold[round] = c;
                warm[round] = w;
            }
        }
        report("5 passages checked one by one → one command, cold verdict cache, per search", before, cold, searches.size());
        report("5 passages checked one by one → one command, warm verdict cache, per search", before, warm, searches.size());
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * CPU time of this thread for pure-Java work (tokens, rules): on a machine shared by a dozen busy processes,
     * wall time is mostly waiting for a core. The passages use wall time: ONNX Runtime may work on its own threads.
     */
    private static long cpu(Runnable work) {
        long started = THREADS.getCurrentThreadCpuTime();
        work.run();
        return THREADS.getCurrentThreadCpuTime() - started;
    }

    private static long time(Runnable work) {
        long started = System.nanoTime();
        work.run();
        return System.nanoTime() - started;
    }

    /** Median over rounds of the time per unit, in µs. */
    private static void report(String what, long[] before, long[] after, int units) {
        System.out.printf(Locale.ROOT, "| %s | %.1f µs | %.1f µs | %.1f× |%n", what, median(before) / units / 1e3,
                median(after) / units / 1e3, median(before) / median(after));
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<String> docsParagraphs() throws Exception {
        Path docs = Files.isDirectory(Path.of("docs")) ? Path.of("docs") : Path.of("../docs");
        List<String> paragraphs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(docs)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                for (String paragraph : Files.readString(file).split("\\n\\s*\\n")) {
                    if (paragraph.strip().length() >= 200) {
                        paragraphs.add(paragraph.strip());
                    }
                }
            }
        }
        return paragraphs;
    }

    private CheapChecksBenchmark() {
    }
}
