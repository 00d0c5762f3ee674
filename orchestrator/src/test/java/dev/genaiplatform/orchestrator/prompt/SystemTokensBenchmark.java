package dev.genaiplatform.orchestrator.prompt;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Not a test (no assertions on time): what wave 12's system-message count saves, run on demand with
 * {@code ./mvnw -B -q -o -pl orchestrator verify -Dit.test=SystemTokensBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. A grounded prompt with four passages of about 800 characters each (the
 * retrieval's default top-k), the passage memo on as shipped; this thread's CPU per call, median of 20 alternating
 * rounds of 2,000 calls: the whole system message encoded (before) against the instructions and the last passage
 * (after, the other passages' counts taken from the fitting), and the whole {@code build} for scale.
 */
class SystemTokensBenchmark {

    private static final String TEXT = "Retrieval ranks passages by cosine similarity of their MiniLM embeddings, then "
            + "re-ranks the top candidates with BM25 terms; ties keep the document order. Reciprocal rank fusion adds "
            + "1/(60 + rank) from each list, so a passage near the top of both wins over one that tops only one. The "
            + "orchestrator asks for top-k 4 by default (RETRIEVAL_TOP_K), fits what the context budget allows, best "
            + "first, and numbers the passages [1] to [n] so the answer can cite them. See docs/architecture.md, 4.2, "
            + "and the retrieval README's benchmark for the recall it reaches on the committed question set.";

    @Test
    void measure() {
        TokenCounter tokens = new TokenCounter();
        GroundedPromptBuilder builder = new GroundedPromptBuilder(new ClassPathResource("prompts/grounded-answer.st"),
                new ClassPathResource("prompts/context-passage.st"), tokens, 2000, 6000).withPassageTokenMemo(2048);
        List<RetrievedChunk> chunks = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            chunks.add(new RetrievedChunk("doc" + i + ".md#" + i, "doc" + i + ".md", "Doc " + i + " > Retrieval", 0, 800,
                    TEXT + " (" + i + ")", 0.03));
        }
        List<Turn> question = List.of(Turn.text("user", "How does retrieval rank passages?"));
        GroundedPrompt prompt = builder.build(question, chunks);
        String system = prompt.systemText();
        String instructions = system.substring(0, system.indexOf("[1] (source:"));
        String lastPassage = system.substring(system.indexOf("[4] (source:"));
        Map<String, Integer> memo = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, IntSupplier> ways = new LinkedHashMap<>();
        ways.put("the system message encoded whole (before)", () -> tokens.countMessage(system));
        ways.put("the instructions encoded, the last passage from the memo (after)",
                () -> tokens.messageTokens(tokens.count(instructions) + memo.computeIfAbsent(lastPassage, tokens::count)));
        ways.put("the whole build, as shipped (for scale)", () -> builder.build(question, chunks).promptTokens());
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nsystem message: %d characters, %d tokens%n%n| way | CPU per call, median, µs |%n|---|---|%n",
                system.length(), tokens.count(system)));
        System.out.println(out + AlternatingCpu.rows(AlternatingCpu.medianMicros(ways)));
    }
}
