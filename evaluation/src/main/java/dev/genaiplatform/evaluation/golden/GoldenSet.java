package dev.genaiplatform.evaluation.golden;

import java.util.List;

/**
 * A named, versioned list of cases, run as one unit.
 *
 * @param name        the set's name, unique in the catalog
 * @param version     bumped whenever a case changes, so results of different versions are never compared
 * @param description how the set was built and what it covers
 * @param cases       the cases, ids unique
 */
public record GoldenSet(String name, int version, String description, List<GoldenCase> cases) {

    public GoldenSet {
        cases = List.copyOf(cases);
    }

    /** The first {@code limit} cases, for a quick look; the set itself when limit is null or not smaller. */
    public GoldenSet limitedTo(Integer limit) {
        if (limit == null || limit >= cases.size()) {
            return this;
        }
        return new GoldenSet(name, version, description, cases.subList(0, limit));
    }
}
