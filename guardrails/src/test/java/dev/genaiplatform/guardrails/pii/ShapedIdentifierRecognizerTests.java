package dev.genaiplatform.guardrails.pii;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** IBAN, SSN, European ids, IP addresses, secrets and dates of birth: positives, checksums that fail, offsets. */
class ShapedIdentifierRecognizerTests {

    private final PiiDetector detector = new PiiDetector();

    private List<PiiCategory> categories(String text) {
        return detector.find(text).stream().map(PiiSpan::category).toList();
    }

    private String only(String text, PiiCategory category) {
        PiiSpan span = detector.find(text).stream().filter(s -> s.category() == category).findFirst().orElseThrow();
        return text.substring(span.start(), span.end());
    }

    @Test
    void ibansNeedAValidMod97CheckInAnyCaseAndGrouping() {
        assertThat(only("pay to GB82 WEST 1234 5698 7654 32 today", PiiCategory.IBAN_CODE)).isEqualTo("GB82 WEST 1234 5698 7654 32");
        assertThat(only("iban de89370400440532013000.", PiiCategory.IBAN_CODE)).isEqualTo("de89370400440532013000");
        assertThat(categories("pay to GB83 WEST 1234 5698 7654 32")).doesNotContain(PiiCategory.IBAN_CODE);
    }

    @Test
    void ssnsFollowTheIssuingRules() {
        assertThat(only("SSN 536-22-8954", PiiCategory.US_SSN)).isEqualTo("536-22-8954");
        assertThat(only("my social security number is 536228954", PiiCategory.US_SSN)).isEqualTo("536228954");
        assertThat(categories("ids 000-12-3456, 666-12-3456, 912-12-3456, 123-00-4567, 078-05-1120"))
                .doesNotContain(PiiCategory.US_SSN);
        assertThat(categories("order 536228954 shipped")).doesNotContain(PiiCategory.US_SSN);
    }

    @Test
    void europeanIdsNeedTheirCheckCharacter() {
        assertThat(only("DNI 12345678Z", PiiCategory.ES_NIF)).isEqualTo("12345678Z");
        assertThat(only("NIE X1234567L", PiiCategory.ES_NIF)).isEqualTo("X1234567L");
        assertThat(categories("DNI 12345678A")).doesNotContain(PiiCategory.ES_NIF);
        assertThat(only("CF RSSMRA85T10A562S", PiiCategory.IT_FISCAL_CODE)).isEqualTo("RSSMRA85T10A562S");
        assertThat(categories("CF RSSMRA85T10A562T")).doesNotContain(PiiCategory.IT_FISCAL_CODE);
        assertThat(only("mijn BSN is 111222333", PiiCategory.NL_BSN)).isEqualTo("111222333");
        assertThat(categories("mijn BSN is 111222334")).doesNotContain(PiiCategory.NL_BSN);
    }

    @Test
    void ipAddressesButNotVersionsOrClockTimes() {
        assertThat(only("from 192.168.0.12 at", PiiCategory.IP_ADDRESS)).isEqualTo("192.168.0.12");
        assertThat(only("host 2001:db8::8a2e:370:7334 up", PiiCategory.IP_ADDRESS)).isEqualTo("2001:db8::8a2e:370:7334");
        assertThat(categories("version 1.2.3.4.5, 256.1.1.1, at 10:30:00, std::vector")).doesNotContain(PiiCategory.IP_ADDRESS);
    }

    @Test
    void secretsByPrefixByCueAndByEntropy() {
        assertThat(only("key sk-proj-abcdefghijklmnopqrstuvwxyz012345 ok", PiiCategory.SECRET))
                .isEqualTo("sk-proj-abcdefghijklmnopqrstuvwxyz012345");
        assertThat(only("AWS AKIAIOSFODNN7EXAMPLE", PiiCategory.SECRET)).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(only("password = hunter2!x", PiiCategory.SECRET)).isEqualTo("hunter2!x");
        assertThat(only("token 9fQ2xL7vR1pK8sT4mW6yZ3bN5cJ0hD", PiiCategory.SECRET)).isEqualTo("9fQ2xL7vR1pK8sT4mW6yZ3bN5cJ0hD");
        assertThat(categories("sha e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 and InternationalBusinessMachines"))
                .doesNotContain(PiiCategory.SECRET);
    }

    @Test
    void datesOfBirthOnlyAfterABirthCue() {
        assertThat(only("She was born on 2/8/1935. Her", PiiCategory.DATE_TIME)).isEqualTo("2/8/1935");
        assertThat(only("DOB: 12 March 1985", PiiCategory.DATE_TIME)).isEqualTo("12 March 1985");
        assertThat(categories("The invoice of 2/8/2024 is due")).doesNotContain(PiiCategory.DATE_TIME);
    }

    @Test
    void pathologicalInputsFinish() {
        for (String text : List.of("GB82".repeat(50_000), "1-".repeat(50_000), ":".repeat(100_000),
                "a1".repeat(50_000), "password=".repeat(20_000), "-----BEGIN RSA PRIVATE KEY-----" + "A".repeat(100_000))) {
            detector.find(text);
        }
    }
}
