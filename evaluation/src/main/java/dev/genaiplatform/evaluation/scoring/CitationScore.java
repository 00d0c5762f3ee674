package dev.genaiplatform.evaluation.scoring;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Citation precision and recall at document level, against the sources a golden case requires.
 *
 * <ul>
 *   <li><b>recall</b>: the share of required sources the answer cites; a required source is satisfied by any
 *       of its alternative paths (the same fact often sits in two documents).</li>
 *   <li><b>precision</b>: the share of cited documents that are among the required ones (any alternative);
 *       null when the answer cites nothing, which recall already punishes.</li>
 * </ul>
 * Document level, not passage level: citing the right file for the wrong paragraph still counts, and a correct
 * extra source the case did not list counts against precision.
 *
 * @param precision null when nothing was cited
 * @param recall    in [0, 1]; null when the case requires no source
 */
public record CitationScore(Double precision, Double recall) {

    public static CitationScore of(Collection<String> citedDocuments, List<List<String>> requiredSources) {
        Set<String> cited = new LinkedHashSet<>(citedDocuments);
        Set<String> acceptable = new LinkedHashSet<>();
        requiredSources.forEach(acceptable::addAll);
        Double precision = cited.isEmpty() ? null
                : (double) cited.stream().filter(acceptable::contains).count() / cited.size();
        Double recall = requiredSources.isEmpty() ? null
                : (double) requiredSources.stream().filter(anyOf -> anyOf.stream().anyMatch(cited::contains)).count()
                / requiredSources.size();
        return new CitationScore(precision, recall);
    }
}
