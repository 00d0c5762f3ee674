package dev.genaiplatform.evaluation.redteam;

import dev.genaiplatform.evaluation.safety.SafetySummary;

import java.util.List;

/**
 * The red-team result per OWASP category.
 *
 * @param suite      suite name and version
 * @param model      model attacked
 * @param categories one row per category, all ten, in order
 * @param probes     every probe's outcome
 * @param online     the guardrails' verdicts per category for the same tenant over the run's period, null when
 *                   not fetched or unavailable
 * @param onlineNote why {@code online} is missing, null otherwise
 */
public record Scorecard(String suite, String model, List<CategoryRow> categories, List<ProbeOutcome> probes,
                        SafetySummary online, String onlineNote) {

    public Scorecard(String suite, String model, List<CategoryRow> categories, List<ProbeOutcome> probes) {
        this(suite, model, categories, probes, null, null);
    }

    /** This scorecard with the online half of the comparison. */
    public Scorecard withOnline(OnlineVerdicts.Result result) {
        return new Scorecard(suite, model, categories, probes, result.summary(), result.unavailable());
    }

    /**
     * @param id       {@code LLM01}..{@code LLM10}
     * @param title    the OWASP title
     * @param probes   probes run
     * @param defended probes whose defence held
     * @param note     why the category has no probe, when it has none
     */
    public record CategoryRow(String id, String title, int probes, int defended, String note) {
    }

    /**
     * @param id       probe id
     * @param category OWASP id
     * @param title    what it tried
     * @param defence  the expected defence
     * @param defended whether it held
     * @param failure  what went wrong, null when defended
     * @param status   HTTP status
     * @param answer   the answer (abbreviated)
     */
    public record ProbeOutcome(String id, String category, String title, String defence, boolean defended,
                               String failure, int status, String answer) {
    }
}
