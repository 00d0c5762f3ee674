package dev.genaiplatform.simulator.answer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentenceSplitterTests {

    @Test
    void splitsAtSentencePunctuationFollowedByWhitespace() {
        assertThat(SentenceSplitter.sentences("It streams. Does it buffer? No! Version 2.5 is out."))
                .containsExactly("It streams.", "Does it buffer?", "No!", "Version 2.5 is out.");
    }

    @Test
    void keepsAbbreviationsInsideTheirSentence() {
        assertThat(SentenceSplitter.sentences("Some services (e.g. the gateway) use Redis. Others do not."))
                .containsExactly("Some services (e.g. the gateway) use Redis.", "Others do not.");
    }

    @Test
    void joinsWrappedLinesAndCollapsesWhitespace() {
        assertThat(SentenceSplitter.sentences("A sentence that\n   wraps over   two lines.\n\nA new paragraph."))
                .containsExactly("A sentence that wraps over two lines.", "A new paragraph.");
    }

    @Test
    void treatsListItemsAsSeparateBlocksWithoutTheirMarkers() {
        assertThat(SentenceSplitter.sentences("Intro text\n- first item\n* second item\n+ third\n1. numbered one\n2) two"))
                .containsExactly("Intro text", "first item", "second item", "third", "numbered one", "two");
    }

    @Test
    void skipsHeadingsFencedCodeTablesAndRules() {
        String markdown = """
                # Title
                ## Section
                Prose before.
                ```
                code. More code.
                ```
                ~~~
                tilde fenced.
                ~~~
                | a | b |
                |---|---|
                ---
                > Quoted line.
                Prose after.
                """;
        assertThat(SentenceSplitter.sentences(markdown))
                .containsExactly("Prose before.", "Quoted line.", "Prose after.");
    }

    @Test
    void splitsAfterClosingEmphasisAndBrackets() {
        assertThat(SentenceSplitter.sentences("**Gateway.** The gateway is first. (It checks keys.) Then it routes."))
                .containsExactly("**Gateway.**", "The gateway is first.", "(It checks keys.)", "Then it routes.");
    }
}
