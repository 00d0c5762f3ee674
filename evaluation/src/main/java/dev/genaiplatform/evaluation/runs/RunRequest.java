package dev.genaiplatform.evaluation.runs;

import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/evaluation/runs}.
 *
 * @param set           a committed golden set by name ({@code docs-qa}, {@code refusals}, ...); or
 * @param goldenSet     a whole set inline, in the committed files' format (checked the same way)
 * @param model         the model to ask (required)
 * @param experimentArm an arm to force, sent as {@code X-Platform-Experiment-Arm}; null for the default
 * @param repetitions   times each case is asked, 1..20 (default 1)
 * @param limit         only the first N cases (optional)
 */
public record RunRequest(String set, JsonNode goldenSet, String model, String experimentArm, Integer repetitions,
                         Integer limit) {
}
