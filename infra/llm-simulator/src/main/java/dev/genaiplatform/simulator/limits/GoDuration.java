package dev.genaiplatform.simulator.limits;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Formats a duration the way OpenAI writes it in {@code x-ratelimit-reset-*} headers and rate-limit
 * messages (Go's {@code time.Duration} notation, to the millisecond): {@code 0s}, {@code 6ms},
 * {@code 1.5s}, {@code 1m0s}, {@code 1h2m3.5s}.
 */
final class GoDuration {

    private GoDuration() {
    }

    static String format(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        BigDecimal seconds = BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros();
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        return text.append(seconds.toPlainString()).append('s').toString();
    }
}
