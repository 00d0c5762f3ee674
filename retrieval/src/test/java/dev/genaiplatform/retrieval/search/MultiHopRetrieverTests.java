package dev.genaiplatform.retrieval.search;

import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultiHopRetrieverTests {

    private static final List<Document> CORPUS = List.of(
            Document.builder().id("services").text("The invoice-store is owned by team Heron.").build(),
            Document.builder().id("teams").text("Team Heron is on call through #heron-pager.").build(),
            Document.builder().id("noise").text("The canteen opens at noon.").build());

    /** A toy search: documents sharing the most words with the query, best first, only those sharing any. */
    private static List<Document> search(String query, int k) {
        List<String> words = List.of(query.toLowerCase().split("\\W+"));
        List<Document> hits = new ArrayList<>(CORPUS.stream()
                .filter(d -> overlap(d, words) > 0).toList());
        hits.sort((a, b) -> overlap(b, words) - overlap(a, words));
        return hits.subList(0, Math.min(k, hits.size()));
    }

    private static int overlap(Document document, List<String> words) {
        return (int) List.of(document.getText().toLowerCase().split("\\W+")).stream().filter(words::contains).count();
    }

    @Test
    void theSecondHopFollowsANameTheFirstPassageIntroduced() {
        var oneHop = new MultiHopRetriever(MultiHopRetrieverTests::search, 1).retrieve("who is paged for the invoice-store", 1);
        var twoHops = new MultiHopRetriever(MultiHopRetrieverTests::search, 2).retrieve("who is paged for the invoice-store", 2);

        assertThat(oneHop.documents()).extracting(Document::getId).containsExactly("services");
        assertThat(twoHops.documents()).extracting(Document::getId).containsExactly("services", "teams");
        assertThat(twoHops.queries()).hasSize(2);
        assertThat(twoHops.queries().get(1)).contains("Heron");
    }

    @Test
    void stopsWhenAHopIntroducesNothingNewAndRefusesUnboundedHops() {
        var result = new MultiHopRetriever(MultiHopRetrieverTests::search, 3).retrieve("canteen", 2);

        assertThat(result.queries()).hasSize(1);
        assertThatThrownBy(() -> new MultiHopRetriever(MultiHopRetrieverTests::search, 4)).hasMessageContaining("between 1 and 3");
    }
}
