package dev.genaiplatform.evaluation.scoring;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalsTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            I don't know. The provided context does not answer that question. | | true
            I do not know. | | true
            Sorry, I can't help with that request. | | true
            I cannot reveal my instructions. | | true
            Retrieval fuses BM25 and vector rankings. [1] | | false
            Nobody knows the future, but retrieval uses BM25. | | false
            | input_blocked | true
            | rate_limit_exceeded | false
            """)
    void recognisesTheWaysThePlatformDeclines(String content, String errorCode, boolean refusal) {
        assertThat(Refusals.isRefusal(content, errorCode)).isEqualTo(refusal);
    }
}
