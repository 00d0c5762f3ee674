package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.evaluation.golden.GoldenCase;
import dev.genaiplatform.evaluation.judge.GroundednessJudge;
import dev.genaiplatform.evaluation.scoring.CitationScore;
import dev.genaiplatform.evaluation.scoring.CitedPassage;
import dev.genaiplatform.evaluation.scoring.Groundedness;
import dev.genaiplatform.evaluation.scoring.PassageSource;
import dev.genaiplatform.evaluation.scoring.Refusals;
import dev.genaiplatform.evaluation.scoring.TokenF1;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Scores one answer against its case. The per-case {@code quality} the gate compares is:
 * <ul>
 *   <li>answer: the mean of correctness (token F1), citation recall and groundedness (those that exist);
 *       0 when the platform refused or failed;</li>
 *   <li>refuse: 1 when it refused, else 0;</li>
 *   <li>tool-call: 1 for the right tool with the expected arguments, 0.5 for the right tool with other
 *       arguments, else 0.</li>
 * </ul>
 * Equal weights on purpose: any weighting is a product decision, and this one is easy to explain.
 */
public class CaseScorer {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ANSWER_EXCERPT = 400;

    private final PassageSource passages;
    private final Prices prices;
    private final GroundednessJudge judge;

    public CaseScorer(PassageSource passages, Prices prices) {
        this(passages, prices, null);
    }

    /** With an LLM judge scoring groundedness next to the offline measure; null for none. */
    public CaseScorer(PassageSource passages, Prices prices, GroundednessJudge judge) {
        this.passages = passages;
        this.prices = prices;
        this.judge = judge;
    }

    public CaseResult score(GoldenCase goldenCase, int repetition, String model, ChatAnswer answer) {
        List<String> notes = new ArrayList<>();
        boolean refused = answer.succeeded() ? Refusals.isRefusal(answer.content(), null)
                : Refusals.isRefusal(null, answer.errorCode());
        boolean expectsRefusal = goldenCase.kind() == GoldenCase.Kind.REFUSE;
        boolean refusalCorrect = refused == expectsRefusal;
        boolean failed = !answer.succeeded() && !refused;
        if (failed) {
            notes.add("failed: HTTP " + answer.status() + " " + answer.errorCode() + " " + answer.errorMessage());
        }
        Double correctness = null;
        Double precision = null;
        Double recall = null;
        Double grounded = null;
        Double toolCorrect = null;
        Double judged = null;
        List<String> unsupported = List.of();
        double quality;
        switch (goldenCase.kind()) {
            case ANSWER -> {
                if (refused || failed || answer.content() == null) {
                    correctness = 0.0;
                    recall = 0.0;
                    quality = 0;
                    if (refused) {
                        notes.add("refused a question the corpus answers");
                    } else if (!failed) {
                        notes.add("answered with a tool call instead of text");
                    }
                } else {
                    correctness = TokenF1.score(answer.content(), goldenCase.reference());
                    CitationScore citations = CitationScore.of(
                            answer.citations().stream().map(CitedPassage::documentPath).toList(), goldenCase.sources());
                    precision = citations.precision();
                    recall = citations.recall();
                    Groundedness groundedness = Groundedness.of(answer.content(), answer.citations(), passages);
                    grounded = groundedness.score();
                    unsupported = groundedness.unsupported();
                    quality = mean(correctness, recall, grounded);
                    if (judge != null) {
                        List<String> texts = answer.citations().stream()
                                .map(c -> passages.text(c).orElse("")).filter(t -> !t.isBlank()).toList();
                        judged = judge.score(goldenCase.question(), texts, answer.content()).orElse(null);
                    }
                    if (recall != null && recall < 1) {
                        notes.add("missed required source(s) " + goldenCase.sources());
                    }
                    if (!unsupported.isEmpty()) {
                        notes.add(unsupported.size() + " sentence(s) not supported by a cited passage");
                    }
                }
            }
            case REFUSE -> {
                quality = refused ? 1 : 0;
                if (!refused) {
                    notes.add(failed ? "no answer at all (an error is not a refusal)" : "answered instead of declining");
                }
            }
            case TOOL_CALL -> {
                toolCorrect = toolScore(goldenCase, answer, notes);
                quality = toolCorrect;
            }
            default -> throw new IllegalStateException("unknown kind " + goldenCase.kind());
        }
        return new CaseResult(goldenCase.id(), goldenCase.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                repetition, answer.status(), answer.completionId(), refused, refusalCorrect, correctness, precision,
                recall, grounded, toolCorrect, quality, answer.latencyMillis(), answer.promptTokens(),
                answer.completionTokens(), prices.cost(model, answer.promptTokens(), answer.completionTokens()),
                excerpt(answer), unsupported, List.copyOf(notes), judged);
    }

    private static double toolScore(GoldenCase goldenCase, ChatAnswer answer, List<String> notes) {
        if (answer.toolCalls().isEmpty()) {
            notes.add("no tool call (expected " + goldenCase.expectedTool() + ")");
            return 0;
        }
        ChatAnswer.ToolCallSeen call = answer.toolCalls().getFirst();
        if (!goldenCase.expectedTool().equals(call.name())) {
            notes.add("called " + call.name() + " instead of " + goldenCase.expectedTool());
            return 0;
        }
        Map<String, String> actual = arguments(call.arguments());
        for (Map.Entry<String, String> expected : goldenCase.expectedArguments().entrySet()) {
            if (!squash(expected.getValue()).equals(squash(actual.get(expected.getKey())))) {
                notes.add("argument " + expected.getKey() + " was '" + actual.get(expected.getKey()) + "', expected '"
                        + expected.getValue() + "'");
                return 0.5;
            }
        }
        return 1;
    }

    private static Map<String, String> arguments(String json) {
        try {
            JsonNode node = JSON.readTree(json == null || json.isBlank() ? "{}" : json);
            Map<String, String> values = new java.util.LinkedHashMap<>();
            node.properties().forEach(e -> values.put(e.getKey(), e.getValue().isString()
                    ? e.getValue().asString() : e.getValue().toString()));
            return values;
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    private static String squash(String value) {
        return value == null ? "" : value.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    private static double mean(Double... values) {
        return java.util.Arrays.stream(values).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .average().orElse(0);
    }

    private static String excerpt(ChatAnswer answer) {
        String text;
        if (!answer.succeeded()) {
            text = "HTTP " + answer.status() + " " + answer.errorCode() + ": " + answer.errorMessage();
        } else if (answer.content() == null) {
            text = answer.toolCalls().isEmpty() ? "" : "tool call " + answer.toolCalls().getFirst().name()
                    + answer.toolCalls().getFirst().arguments();
        } else {
            text = answer.content();
        }
        return text.length() <= ANSWER_EXCERPT ? text : text.substring(0, ANSWER_EXCERPT) + "...";
    }
}
