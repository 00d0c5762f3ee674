package dev.genaiplatform.evaluation.gate;

import dev.genaiplatform.evaluation.runs.CaseResult;
import dev.genaiplatform.evaluation.runs.RunSummary;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The committed reference a run is compared with: per case, the quality it reached and the answer it gave,
 * for one set version and model. Written by the command ({@code --write-baseline}) from a run judged good, and
 * reviewed like code: a baseline change is a claim that the new behaviour is the expected one.
 *
 * @param set          the golden set
 * @param setVersion   its version; a run of another version is not compared
 * @param model        the model it was measured on
 * @param promptNote   what produced it (prompt version, platform commit), free text for the reader
 * @param createdAt    when
 * @param quality      the mean quality and its interval when it was written
 * @param cases        per case: mean quality over repetitions and the first answer, for the report
 */
public record Baseline(String set, int setVersion, String model, String promptNote, Instant createdAt,
                       double quality, Map<String, CaseBaseline> cases) {

    /**
     * @param quality    mean quality over the repetitions
     * @param answer     the first repetition's answer (abbreviated)
     * @param notes      why it lost points then
     */
    public record CaseBaseline(double quality, String answer, List<String> notes) {
    }

    public static Baseline of(String set, int setVersion, String model, String promptNote, List<CaseResult> results,
                              RunSummary summary) {
        Map<String, Double> quality = RunSummary.perCaseMeans(results, CaseResult::quality);
        Map<String, CaseBaseline> cases = new java.util.LinkedHashMap<>();
        quality.forEach((id, q) -> {
            CaseResult first = results.stream().filter(r -> r.caseId().equals(id)).findFirst().orElseThrow();
            cases.put(id, new CaseBaseline(round(q), first.answer(), first.notes()));
        });
        return new Baseline(set, setVersion, model, promptNote, Instant.now(), round(summary.quality().mean()), cases);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
