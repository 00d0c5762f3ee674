package dev.genaiplatform.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadParametersTests {

    @Test
    void defaultsAimAShortGentleChatRunAtTheLocalPlatform() {
        LoadParameters p = LoadParameters.from(name -> null);

        assertThat(p.target()).hasToString("http://localhost:8080");
        assertThat(p.apiKeys()).containsExactly("demo-local-key");
        assertThat(p.scenario()).isEqualTo(LoadParameters.Scenario.CHAT);
        assertThat(p.workload()).isEqualTo(LoadParameters.Workload.OPEN);
        assertThat(p.rate()).isEqualTo(5);
        assertThat(p.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.cache()).isEqualTo(LoadParameters.Cache.USE);
        assertThat(p.arrivals()).isEqualTo(LoadParameters.Arrivals.UNIFORM);
    }

    @Test
    void readsEverySettingAndSplitsTheTenantKeys() {
        LoadParameters p = LoadParameters.from(Map.of("target", "https://platform.example.com/", "apiKeys", "a, b",
                "scenario", "MIX", "workload", "closed", "users", "40", "duration", "120", "maxTokens", "256", "cache", "bypass", "arrivals", "poisson")::get);

        assertThat(p.target()).hasToString("https://platform.example.com");
        assertThat(p.apiKeys()).isEqualTo(List.of("a", "b"));
        assertThat(p.scenario()).isEqualTo(LoadParameters.Scenario.MIX);
        assertThat(p.workload()).isEqualTo(LoadParameters.Workload.CLOSED);
        assertThat(p.users()).isEqualTo(40);
        assertThat(p.maxTokens()).isEqualTo(256);
        assertThat(p.cache()).isEqualTo(LoadParameters.Cache.BYPASS);
        assertThat(p.arrivals()).isEqualTo(LoadParameters.Arrivals.POISSON);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "target    | ftp://x        | target must be an http(s) URL",
            "rate      | 0              | rate must be above 0",
            "rate      | 50000          | at most 3000 requests/s",
            "users     | 0              | users must be from 1",
            "duration  | 0              | duration must be from 1 s",
            "maxTokens | 99999          | maxTokens must be from 1",
            "scenario  | soak           | scenario must be one of [chat, streaming, retrieval, mix, spike, batch]",
            "workload  | half-open      | workload must be one of [open, closed]",
            "cache     | sometimes      | cache must be one of [use, bypass]",
            "arrivals  | bursty         | arrivals must be one of [uniform, poisson]",
            "rate      | fast           | rate must be a number",
            "scenario  | mix            | the mix scenario needs at least two apiKeys"})
    void refusesAnImpossibleRunBeforeSendingAnything(String name, String value, String message) {
        assertThatThrownBy(() -> LoadParameters.from(Map.of(name, value)::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
