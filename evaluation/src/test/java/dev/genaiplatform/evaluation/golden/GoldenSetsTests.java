package dev.genaiplatform.evaluation.golden;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoldenSetsTests {

    private final GoldenSets catalog = GoldenSets.committed();

    @Test
    void loadsEveryCommittedSetAndResolvesTheCiSubsetFromTheOthers() {
        assertThat(catalog.names()).contains("docs-qa", "refusals", "tool-use", "multi-turn", "ci-smoke");
        GoldenSet smoke = catalog.named("ci-smoke");
        assertThat(smoke.cases()).extracting(GoldenCase::id)
                .containsExactly("retrieval-ranking", "dead-letter", "chunking", "capital-city", "quarterly-revenue",
                        "arithmetic");
        // an included tool case keeps the tools of its home set
        assertThat(smoke.cases().getLast().tools()).hasSize(2);
        assertThat(catalog.named("docs-qa").cases()).allSatisfy(c -> {
            assertThat(c.kind()).isEqualTo(GoldenCase.Kind.ANSWER);
            assertThat(c.reference()).isNotBlank();
            assertThat(c.sources()).isNotEmpty();
        });
    }

    @Test
    void everyRequiredSourceIsADocumentOfTheCorpus() {
        var corpus = new dev.genaiplatform.evaluation.scoring.PassageSource();
        for (String name : catalog.names()) {
            for (GoldenCase c : catalog.named(name).cases()) {
                c.sources().forEach(anyOf -> anyOf.forEach(path -> assertThat(
                        corpus.text(new dev.genaiplatform.evaluation.scoring.CitedPassage(1, path, 0, 0)))
                        .as("%s/%s cites %s", name, c.id(), path).isPresent()));
            }
        }
    }

    @Test
    void anUnknownSetNamesTheKnownOnes() {
        assertThatThrownBy(() -> catalog.named("nope"))
                .isInstanceOfSatisfying(GoldenSetException.class, e -> assertThat(e.isUnknown()).isTrue())
                .hasMessageContaining("docs-qa");
    }

    @Test
    void refusesSetsThatDoNotParseWithAMessageThatSaysWhere() {
        assertInvalid("{not json", "not valid JSON");
        assertInvalid("[]", "a golden set is a JSON object");
        assertInvalid("""
                {"name":"x","version":1,"cases":[{"id":"a","kind":"guess","messages":[{"role":"user","content":"q"}]}]}""",
                "case 'a': unknown kind 'guess'");
        assertInvalid("""
                {"name":"x","version":1,"cases":[{"id":"a","kind":"answer","messages":[{"role":"user","content":"q"}]}]}""",
                "needs a 'reference' and 'sources'");
        assertInvalid("""
                {"name":"x","version":1,"cases":[
                  {"id":"a","kind":"refuse","messages":[{"role":"user","content":"q"}]},
                  {"id":"a","kind":"refuse","messages":[{"role":"user","content":"q"}]}]}""",
                "duplicate case id 'a'");
        assertInvalid("""
                {"name":"x","version":1,"cases":[{"id":"a","kind":"refuse","messages":[{"role":"assistant","content":"q"}]}]}""",
                "must end with a user message");
        assertInvalid("""
                {"name":"x","version":1,"includes":[{"set":"docs-qa","ids":["no-such-case"]}]}""",
                "has no case 'no-such-case'");
        assertInvalid("""
                {"name":"x","version":0,"cases":[]}""", "'version' must be a positive integer");
        assertInvalid("""
                {"name":"x","version":1,"cases":[]}""", "the set has no cases");
    }

    @Test
    void parsesAValidSetSentByAClient() {
        GoldenSet set = catalog.parse("""
                {"name":"mine","version":2,"cases":[{"id":"a","kind":"refuse","messages":[{"role":"user","content":"hi"}]}]}"""
                .getBytes(StandardCharsets.UTF_8), "request");
        assertThat(set.name()).isEqualTo("mine");
        assertThat(set.cases()).singleElement().satisfies(c -> assertThat(c.question()).isEqualTo("hi"));
    }

    private void assertInvalid(String json, String message) {
        assertThatThrownBy(() -> catalog.parse(json.getBytes(StandardCharsets.UTF_8), "request"))
                .isInstanceOfSatisfying(GoldenSetException.class, e -> assertThat(e.isUnknown()).isFalse())
                .hasMessageContaining(message);
    }
}
