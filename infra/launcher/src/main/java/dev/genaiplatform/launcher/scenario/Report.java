package dev.genaiplatform.launcher.scenario;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario prints, in the same shape for all of them: the steps it took and what came back, then
 * what to look at (response fields, headers, files, docs) and what the platform cannot show. It also keeps
 * the key observables as named facts, which is what {@code ScenariosIT} asserts.
 */
public final class Report {

    private final PrintStream out;
    private final List<String> lookAt = new ArrayList<>();
    private final List<String> outOfReach = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private int steps;

    public Report(PrintStream out) {
        this.out = out;
    }

    void title(Scenario scenario) {
        out.println();
        out.println("=== scenario " + scenario.name() + " ===");
        out.println("Question: " + scenario.question());
        out.println();
    }

    /** A numbered step: what the scenario does next, as a client of the gateway. */
    void step(String what) {
        out.println((++steps) + ". " + what);
    }

    /** Something that came back. */
    void saw(String label, Object value) {
        out.println("     " + label + ": " + value);
    }

    /** Free text under a step (an explanation, a computed table row). */
    void note(String text) {
        out.println("     " + text);
    }

    /**
     * Something this build of the platform does not put in its answer yet (a feature being built elsewhere):
     * said plainly, so the reader knows what would appear here.
     */
    void notYet(String what) {
        out.println("     (not in this build's answer: " + what + ")");
    }

    void lookAt(String what) {
        lookAt.add(what);
    }

    void outOfReach(String what) {
        outOfReach.add(what);
    }

    /** A key observable of the scenario, printed nowhere special but kept for the test. */
    void fact(String name, Object value) {
        facts.put(name, value);
    }

    public Map<String, Object> facts() {
        return facts;
    }

    void finish() {
        if (!lookAt.isEmpty()) {
            out.println();
            out.println("What to look at:");
            lookAt.forEach(line -> out.println("  - " + line));
        }
        if (!outOfReach.isEmpty()) {
            out.println();
            out.println("Out of reach here (said plainly):");
            outOfReach.forEach(line -> out.println("  - " + line));
        }
        out.println();
        out.println("Details of every scenario: docs/scenarios.md");
    }
}
