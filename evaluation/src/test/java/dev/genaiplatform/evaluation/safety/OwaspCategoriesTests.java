package dev.genaiplatform.evaluation.safety;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OwaspCategoriesTests {

    @Test
    void guardrailsFullLabelsAndRedTeamShortIdsMeetOnTheShortId() {
        assertThat(OwaspCategories.shortId("LLM01:2025 Prompt Injection")).isEqualTo("LLM01");
        assertThat(OwaspCategories.shortId("LLM10:2025 Unbounded Consumption")).isEqualTo("LLM10");
        assertThat(OwaspCategories.shortId("LLM07")).isEqualTo("LLM07");
        assertThat(OwaspCategories.shortId("llm02:2025 sensitive information disclosure")).isEqualTo("LLM02");
    }

    @Test
    void labelsOutsideThe2025ListBecomeOtherSoTheyCannotAddSeries() {
        assertThat(OwaspCategories.shortId("LLM11:2025 Something New")).isEqualTo("other");
        assertThat(OwaspCategories.shortId("LLM01:2023 Prompt Injection")).isEqualTo("other");
        assertThat(OwaspCategories.shortId("LLM001")).isEqualTo("other");
        assertThat(OwaspCategories.shortId(null)).isEqualTo("other");
    }

    @Test
    void anEventsLabelsAreDistinctShortIdsInOrder() {
        assertThat(OwaspCategories.shortIds(List.of("LLM02:2025 Sensitive Information Disclosure",
                "LLM01:2025 Prompt Injection", "LLM02"))).containsExactly("LLM02", "LLM01");
        assertThat(OwaspCategories.shortIds(null)).isEmpty();
        assertThat(OwaspCategories.shortIds(Arrays.asList("x", null))).containsExactly("other");
    }
}
