package dev.genaiplatform.guardrails.pii;

import java.util.List;

/** Finds one kind of personal data in a text. Implementations use re2j patterns, so they run in linear time. */
interface PiiRecognizer {

    PiiCategory category();

    /** Every span of this kind in {@code text}, in order; spans may overlap, the detector resolves that. */
    List<PiiSpan> find(String text);
}
