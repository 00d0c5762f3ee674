package dev.genaiplatform.guardrails.bench;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
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
import dev.genaiplatform.guardrails.policy.Action;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one chat request costs guardrails, in a loop, to profile (JFR; command in the README): the input check of
 * a question, then a search's five passages in one command (verdict cache on, passages drawn from the docs so
 * some repeat), then four answer windows. Wired as the service wires it; no Kafka.
 */
public final class GuardrailsLoadLoop {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        var shared = new RecentEmbeddings(new AllMiniLmL6V2QuantizedEmbeddingModel(), 256);
        PiiDetector pii = new PiiDetector();
        var injection = new PromptInjectionDetector(InjectionClassifier.load(shared));
        var moderation = new ModerationDetector(ModerationClassifier.load(shared), null);
        var pipeline = new GuardrailPipeline(new InputSizeDetector(32_000),
                List.of(pii, new NameFinderDetector(), injection, moderation), new SimpleMeterRegistry());
        var output = new OutputChecker(pii, injection, moderation, UntrustedVerdicts.bounded(10_000, Duration.ofHours(1)));
        var questions = new QuestionEmbeddings(shared);
        var policy = new NamedPolicy("default", new GuardrailPolicy(Set.of("pii", "ner", "injection", "moderation"),
                Action.MASK, Map.of("SECRET", Action.REDACT), 0.9, null));
        List<String> passages = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Files.isDirectory(Path.of("docs")) ? Path.of("docs") : Path.of("../docs"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                for (String paragraph : Files.readString(file).split("\\n\\s*\\n")) {
                    if (paragraph.strip().length() >= 200 && paragraph.strip().length() <= 1_500) {
                        passages.add(paragraph.strip());
                    }
                }
            }
        }
        String[] asked = {"How does hybrid search combine BM25 and vector similarity?",
                "What does the gateway do when a tenant runs out of budget?",
                "Which topics does the orchestrator use to ask guardrails for a check?",
                "How are retrieved passages wrapped before they reach the model?"};
        String[] windows = {"Hybrid search runs a keyword query and a vector query. ",
                "Their ranks are fused with reciprocal rank fusion, so neither score scale dominates. ",
                "The fused list is re-ranked, and the best passages go into the prompt. ",
                "See the retrieval README for the exact weights [1]."};
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        java.util.Random random = new java.util.Random(1);
        int requests = 0;
        while (System.nanoTime() < deadline) {
            String question = asked[requests % asked.length] + " (case " + (requests % 50) + ")";
            var command = new CheckInputCommand("r-" + requests, List.of(new ChatMessage("system", "Be brief."),
                    new ChatMessage("user", question)));
            var outcome = pipeline.check(command, policy, Pseudonyms.perRequest());
            questions.of(command, outcome.reply());
            List<String> search = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                // a skewed draw: popular passages come back often, as for real questions
                search.add(passages.get((int) Math.min(passages.size() - 1, Math.abs(random.nextGaussian()) * passages.size() / 4)));
            }
            output.check(CheckOutputCommand.untrusted("r-" + requests, CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, search, null), policy);
            long offset = 0;
            for (String window : windows) {
                output.check(new CheckOutputCommand("r-" + requests, CheckOutputCommand.SOURCE_ANSWER, window, offset,
                        "cnry-0a1b2c3d", "Be brief. cnry-0a1b2c3d", List.of("docs.example"), null, null), policy);
                offset += window.length();
            }
            requests++;
        }
        System.out.printf("%d requests in %d s: %.2f ms each%n", requests, seconds, seconds * 1000.0 / requests);
    }

    private GuardrailsLoadLoop() {
    }
}
