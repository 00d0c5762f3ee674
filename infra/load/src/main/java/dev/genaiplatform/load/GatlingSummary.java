package dev.genaiplatform.load;

import java.util.ArrayList;
import java.util.List;

/**
 * One load run's result, read from the "Global Information" table Gatling prints at its end (client-measured,
 * whole request, every request of the run: the failed ones too).
 *
 * @param requests requests sent
 * @param failed   requests that failed (any status but 200, or no answer)
 * @param meanMs   mean response time
 * @param p50Ms    median response time
 * @param p99Ms    99th percentile
 * @param table    the table as Gatling printed it, for the record
 */
public record GatlingSummary(long requests, long failed, double meanMs, double p50Ms, double p99Ms, String table) {

    private static final String HEADING = "---- Global Information";

    /** Share of the requests that failed, 0 to 1. */
    double failedShare() {
        return requests == 0 ? 0 : (double) failed / requests;
    }

    static GatlingSummary parse(String consoleOutput) {
        int start = consoleOutput.lastIndexOf(HEADING);
        if (start < 0) {
            throw new IllegalArgumentException("no Gatling summary (\"" + HEADING + "\") in the run's output");
        }
        List<String> table = new ArrayList<>();
        long requests = -1;
        long failed = 0;
        double mean = Double.NaN;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (String line : consoleOutput.substring(start).lines().toList()) {
            if (!table.isEmpty() && !(line.startsWith(">") || line.startsWith("----"))) {
                break; // the table ends at Gatling's closing rule or a blank line
            }
            table.add(line);
            String[] cells = line.split("\\|");
            if (!line.startsWith(">") || cells.length < 4) {
                continue;
            }
            String label = cells[0].substring(1).strip();
            switch (label) {
                case "request count" -> {
                    requests = (long) number(cells[1]);
                    failed = (long) number(cells[3]);
                }
                case "mean response time (ms)" -> mean = number(cells[1]);
                case "response time 50th percentile (ms)" -> p50 = number(cells[1]);
                case "response time 99th percentile (ms)" -> p99 = number(cells[1]);
                default -> { }
            }
        }
        if (requests < 0 || Double.isNaN(mean) || Double.isNaN(p50) || Double.isNaN(p99)) {
            throw new IllegalArgumentException("Gatling's summary lacks the request count, mean, p50 or p99");
        }
        return new GatlingSummary(requests, failed, mean, p50, p99, String.join("\n", table));
    }

    /** A cell of the table: "1,080", "23.48", or "-" for none. */
    private static double number(String cell) {
        String digits = cell.strip().replace(",", "");
        return digits.equals("-") ? 0 : Double.parseDouble(digits);
    }
}
