package dev.genaiplatform.retrieval.rewrite;

import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuleBasedQueryRewriterTests {

    private final RuleBasedQueryRewriter rewriter = new RuleBasedQueryRewriter(3);

    private static List<ConversationTurn> after(String question, String answer) {
        return List.of(new ConversationTurn("user", question), new ConversationTurn("assistant", answer));
    }

    @Test
    void aFollowUpThatRefersBackCarriesThePreviousQuestionsTopicNamesFirst() {
        QueryRewrite rewrite = rewriter.rewrite("And what happens if it is down?",
                after("How does the gateway rate limit each API key with Redis?", "With a token bucket per key."));

        assertThat(rewrite.standalone()).startsWith("And what happens if it is down?")
                .contains("API", "Redis", "gateway", "rate", "limit");
        assertThat(rewrite.standalone().indexOf("Redis")).isLessThan(rewrite.standalone().indexOf("gateway"));
        assertThat(rewrite.queries().getFirst()).isEqualTo(rewrite.standalone());
        assertThat(rewrite.rewrittenBy()).isEqualTo("rules");
    }

    @Test
    void aQuestionThatStandsAloneIsNotChangedByTheConversation() {
        String question = "Which port does the actuator of each service listen on?";
        QueryRewrite rewrite = rewriter.rewrite(question, after("How fast is the embedding model?", "About 120 chunks/s."));

        assertThat(rewrite.standalone()).isEqualTo(question);
    }

    @Test
    void aLongQuestionWhosePronounsPointInsideItIsLeftAlone() {
        String question = "How does the orchestrator match a reply to the command it sent?";
        assertThat(rewriter.rewrite(question, after("How fast is the embedding model?", "About 120 chunks/s.")).standalone())
                .isEqualTo(question);
    }

    @Test
    void aShortFollowUpWithoutPronounsAlsoTakesTheTopicAlong() {
        QueryRewrite rewrite = rewriter.rewrite("Why not now?",
                after("When should the plumbing be extracted into a shared starter?", "Not yet."));

        assertThat(rewrite.standalone()).contains("plumbing", "extracted", "shared", "starter").doesNotContain("When");
    }

    @Test
    void withoutAnEarlierUserTurnTheQuestionStaysAsItIs() {
        assertThat(rewriter.rewrite("What is it?", List.of()).standalone()).isEqualTo("What is it?");
        assertThat(rewriter.rewrite("What is it?", List.of(new ConversationTurn("assistant", "Hello, ask me anything about the Kafka setup.")))
                .standalone()).isEqualTo("What is it?");
    }

    @Test
    void aCompoundQuestionIsAlsoSearchedAsItsClausesAndAsItsKeywordsWithinTheLimit() {
        QueryRewrite rewrite = rewriter.rewrite(
                "How does the gateway rate limit each API key, and what happens if Redis is down?", List.of());

        assertThat(rewrite.queries()).hasSize(3).first().isEqualTo(rewrite.standalone());
        assertThat(rewrite.queries().get(1)).isEqualTo("How does the gateway rate limit each API key");
        assertThat(rewrite.queries().get(2)).isEqualTo("what happens if Redis is down?");
        assertThat(new RuleBasedQueryRewriter(5).rewrite("How does the gateway rate limit each API key, and what happens if Redis is down?",
                List.of()).queries()).contains("gateway rate limit api key redis down");
        assertThat(new RuleBasedQueryRewriter(1).rewrite("How does the gateway rate limit each API key, and what happens if Redis is down?",
                List.of()).queries()).hasSize(1);
    }
}
