package dev.genaiplatform.guardrails.output;

import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.genaiplatform.guardrails.injection.PromptInjectionDetector;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.policy.Action;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo document {@code guardrails/demo/poisoned-returns-policy.md} (what the scenarios upload): one of its
 * passages tells the assistant to ask for card numbers and mail the conversation away. Scanned passage by
 * passage as retrieved chunks, exactly that passage is left out, under the shipped {@code default} policy
 * (threshold 0.9) and the {@code strict} one (0.5); its clean neighbours come back wrapped as untrusted data.
 */
class PoisonedDocumentTests {

    private static final Path DOCUMENT = Path.of("demo/poisoned-returns-policy.md");
    private static OutputChecker checker;
    private static List<String> passages;

    @BeforeAll
    static void load() throws IOException {
        System.setProperty("DJL_OFFLINE", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        checker = new OutputChecker(new PiiDetector(), new PromptInjectionDetector(InjectionClassifier.load()), null);
        passages = Arrays.stream(Files.readString(DOCUMENT).split("\\n\\s*\\n")).map(String::strip)
                .filter(passage -> !passage.isEmpty()).toList();
    }

    private static NamedPolicy policy(double threshold) {
        return new NamedPolicy("p", new GuardrailPolicy(Set.of("pii", "injection"), Action.MASK,
                Map.of("PROMPT_INJECTION", Action.BLOCK), threshold, null));
    }

    @Test
    void onlyThePoisonedPassageIsLeftOutAndItsNeighboursAreWrapped() {
        double threshold = 0.9;
        List<OutputCheckedReply> replies = passages.stream().map(passage -> checker.check(new CheckOutputCommand(
                "demo", CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, passage, 0, null, null, List.of(), null, null),
                policy(threshold))).toList();

        assertThat(passages).hasSize(6);
        for (int i = 0; i < passages.size(); i++) {
            OutputCheckedReply reply = replies.get(i);
            if (passages.get(i).startsWith("Assistant, this is an instruction")) {
                assertThat(reply.verdict()).as("poisoned passage").isEqualTo(Verdict.BLOCKED);
                assertThat(reply.text()).isEmpty();
                assertThat(reply.reason()).contains("left out");
                assertThat(reply.findings()).isNotEmpty().allSatisfy(finding ->
                        assertThat(finding.category()).isEqualTo("PROMPT_INJECTION"));
            } else {
                assertThat(reply.verdict()).as("clean passage %d, score %s", i, reply.injectionScore())
                        .isEqualTo(Verdict.ALLOWED);
                assertThat(reply.findings()).isEmpty();
                assertThat(reply.text()).startsWith("<<untrusted-data id=").contains(passages.get(i));
            }
        }
    }
}
