package dev.genaiplatform.orchestrator.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserFactsTests {

    @Test
    void takesWhatTheUserSaysAboutThemselfInSoManyWords() {
        assertThat(UserFacts.extract("Hi, my name is Ada and I work at Initech. How does retrieval rank passages?"))
                .containsEntry("name", "The user's name is Ada.")
                .containsEntry("employer", "The user works at Initech.")
                .hasSize(2);
        assertThat(UserFacts.extract("I'm a data engineer; please answer in French"))
                .containsEntry("role", "The user is a data engineer.")
                .containsEntry("language", "The user wants answers in French.");
        assertThat(UserFacts.extract("I live in Lyon, what is the weather?")).containsEntry("home", "The user lives in Lyon.");
        assertThat(UserFacts.extract("I prefer short answers with sources")).containsEntry("preference",
                "The user prefers short answers with sources.");
    }

    @Test
    void aQuestionWithoutAStatementAboutTheUserGivesNothing() {
        assertThat(UserFacts.extract("How does retrieval rank passages?")).isEmpty();
        assertThat(UserFacts.extract("What is the name of the gateway's filter?")).isEmpty();
        assertThat(UserFacts.extract("")).isEmpty();
        assertThat(UserFacts.extract(null)).isEmpty();
    }

    @Test
    void theLastStatementOfASlotWinsAndValuesStayShort() {
        assertThat(UserFacts.extract("I live in Paris. Sorry, I live in Lyon.")).containsEntry("home",
                "The user lives in Lyon.");
        assertThat(UserFacts.extract("My name is " + "x".repeat(200)).get("name"))
                .hasSizeLessThanOrEqualTo(UserFacts.MAX_VALUE + "The user's name is .".length());
    }
}
