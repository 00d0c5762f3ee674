package dev.genaiplatform.retrieval.search;

import org.junit.jupiter.api.Test;
import org.springframework.ai.vectorstore.filter.Filter;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttributeFiltersTests {

    @Test
    void everyKeyBecomesAnAttributeKeySoNoFilterCanNameAnAccessField() {
        Filter.Expression filter = AttributeFilters.parse(Map.of("type", "or", "filters", List.of(
                Map.of("type", "eq", "key", "tenant", "value", "other"),
                Map.of("type", "in", "key", "groups", "value", List.of("*")))));

        assertThat(filter.toString()).contains("attr.tenant", "attr.groups").doesNotContain("Key[key=tenant]");
    }

    @Test
    void numbersAndBooleansCompareByTheirCanonicalText() {
        assertThat(AttributeFilters.parse(Map.of("type", "eq", "key", "year", "value", 2024.0)).toString()).contains("2024");
        assertThat(AttributeFilters.parse(Map.of("type", "eq", "key", "draft", "value", true)).toString()).contains("true");
    }

    @Test
    void refusesMalformedFiltersWithAReason() {
        assertThatThrownBy(() -> AttributeFilters.parse("region = emea")).hasMessageContaining("object");
        assertThatThrownBy(() -> AttributeFilters.parse(Map.of("type", "gte", "key", "y", "value", 1))).hasMessageContaining("equality");
        assertThatThrownBy(() -> AttributeFilters.parse(Map.of("type", "eq", "value", 1))).hasMessageContaining("key");
        assertThatThrownBy(() -> AttributeFilters.parse(Map.of("type", "in", "key", "k", "value", "x"))).hasMessageContaining("array");
        assertThatThrownBy(() -> AttributeFilters.parse(Map.of("type", "and", "filters", List.of()))).hasMessageContaining("non-empty");
        Object deep = Map.of("type", "eq", "key", "k", "value", "v");
        for (int i = 0; i < 6; i++) {
            deep = Map.of("type", "and", "filters", List.of(deep));
        }
        Object tooDeep = deep;
        assertThatThrownBy(() -> AttributeFilters.parse(tooDeep)).hasMessageContaining("nest");
    }
}
