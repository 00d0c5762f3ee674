package dev.genaiplatform.evaluation.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr: redrawn in place on a terminal, one line per 10% otherwise (CI logs). */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private int lastDecile = -1;

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        this.terminal = System.console() != null;
    }

    synchronized void update(int done, int total, String last) {
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        String line = "%s [%s%s] %d/%d %s".formatted(label, "#".repeat(filled), ".".repeat(WIDTH - filled), done,
                total, last);
        if (terminal) {
            out.print("\r" + line + " ".repeat(10));
            if (done == total) {
                out.println();
            }
        } else {
            int decile = total == 0 ? 10 : done * 10 / total;
            if (decile != lastDecile || done == total) {
                lastDecile = decile;
                out.println(line);
            }
        }
        out.flush();
    }
}
