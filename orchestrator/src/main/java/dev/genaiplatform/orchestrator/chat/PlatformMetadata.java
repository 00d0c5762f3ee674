package dev.genaiplatform.orchestrator.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.genaiplatform.orchestrator.prompt.TokenBudget;

import java.util.List;

/**
 * The platform's account of one answer, as the {@code platform} member of a completion (and of the finish chunk
 * of a stream): which model served it and why, whether it came from the cache, what the model calls were, where
 * the prompt's tokens went, what it cost, and (ADR 0005) what kind of answer it is and every stage it went
 * through. OpenAI SDKs ignore the member; the platform's UI, evaluation and the scenario scripts read it. Every
 * member is optional: a cache hit has no retrieval, a clarifying question no model.
 *
 * @param route       requested name, served model, rule and complexity estimate
 * @param cache       {@code hit}, {@code semantic-hit}, {@code miss} or {@code bypass}
 * @param attempts    one entry per model call, {@code model:outcome}, in order (empty for a cache hit)
 * @param tokenBudget the prompt's window split against the served model's context window (null for a cache hit)
 * @param costUsd     what the model calls of this request cost at the price table (0 for a hit, null if unpriced)
 * @param idempotentReplay true when this answer was given before for the same {@code Idempotency-Key}
 * @param structuredOutput for a {@code json_schema} response format: how many answers it took and whether the last
 *                         one satisfies the schema
 * @param answerKind  {@code answer}, {@code clarifying_question}, {@code abstained}, {@code blocked} or {@code partial}
 * @param clarification for {@code clarifying_question}: the question and the meanings to choose from
 * @param experiment  the A/B arm that answered, when an experiment runs
 * @param stages      every stage in the order it ran, with its wall time, cost and outcome
 * @param retrieval   the query and every retrieved passage: score, cited, untrusted, whether it went in the prompt
 * @param guardrails  the input verdict and the output checks' verdict, findings without text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlatformMetadata(Route route, String cache, List<String> attempts, TokenBudget tokenBudget,
                               Double costUsd, Boolean idempotentReplay, StructuredOutput structuredOutput,
                               String answerKind, Clarification clarification, Experiment experiment,
                               List<StageTrace> stages, RetrievalTrace retrieval, GuardrailsTrace guardrails) {

    public static final String ANSWER = "answer";
    public static final String CLARIFYING_QUESTION = "clarifying_question";
    public static final String ABSTAINED = "abstained";
    public static final String BLOCKED = "blocked";
    public static final String PARTIAL = "partial";

    public PlatformMetadata(Route route, String cache, List<String> attempts, TokenBudget tokenBudget, Double costUsd,
                            Boolean idempotentReplay) {
        this(route, cache, attempts, tokenBudget, costUsd, idempotentReplay, null, null, null, null, null, null, null);
    }

    /**
     * @param attempts answers asked for (1 = the first answer held)
     * @param valid    whether the answer returned satisfies the schema
     * @param errors   what was wrong with the last answer checked (empty when valid)
     */
    public record StructuredOutput(int attempts, boolean valid, List<String> errors) {
    }

    /**
     * @param requested  the model name the client sent
     * @param model      the model that served the answer (after any fallback)
     * @param chosen     the model the router chose (before any fallback)
     * @param rule       the rule that chose it
     * @param complexity the complexity estimate
     */
    public record Route(String requested, String model, String chosen, String rule, double complexity) {
    }

    /** @param question the question in words (also the message content); @param options meanings to pick from */
    public record Clarification(String question, List<String> options) {
    }

    /** @param name the experiment; @param arm its arm; @param promptVersion the prompt version the arm answered with */
    public record Experiment(String name, String arm, String promptVersion) {
    }

    /**
     * One stage of the request.
     *
     * @param name    a {@code RequestTrace.Stage} metric name ({@code route}, {@code memory}, {@code cache},
     *                {@code semantic-cache}, {@code guardrails}, {@code retrieval}, {@code prompt}, {@code model},
     *                {@code output-checks})
     * @param millis  wall time, one decimal
     * @param costUsd what the stage spent (model calls), absent otherwise
     * @param outcome what came of it, e.g. {@code allow}, {@code miss}, {@code 4 passages}, {@code stop}
     * @param detail  more, for people, e.g. {@code 1 dropped as untrusted}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StageTrace(String name, double millis, Double costUsd, String outcome, String detail) {
    }

    /** @param query what retrieval searched with (after guardrails); @param passages every passage it returned */
    public record RetrievalTrace(String query, List<PassageTrace> passages) {
    }

    /**
     * One retrieved passage.
     *
     * @param score     retrieval's score (comparable only within one result)
     * @param relevance the share of the question's content words it contains (the abstention rule's measure)
     * @param cited     whether the answer cites it
     * @param untrusted guardrails found instructions or other findings in it: it was fenced or dropped
     * @param inPrompt  whether it went into the prompt (dropped as untrusted, or over the token budget: false)
     * @param verdict   guardrails' decision about it as untrusted data ({@code allow}, {@code block}); null when
     *                  passages are not screened
     * @param judged    when that verdict was reached: {@code indexing} (stored with the passage, under the tenant's
     *                  current policy) or {@code request} (this request asked guardrails); null when not screened
     */
    public record PassageTrace(String chunkId, String documentPath, String title, String heading, double score,
                               boolean cited, @JsonInclude(JsonInclude.Include.ALWAYS) String fileId,
                               @JsonInclude(JsonInclude.Include.ALWAYS) Integer fileVersion, boolean untrusted,
                               Double relevance, boolean inPrompt, String verdict, String judged) {

        /** A passage without its screening. */
        public PassageTrace(String chunkId, String documentPath, String title, String heading, double score,
                            boolean cited, String fileId, Integer fileVersion, boolean untrusted, Double relevance,
                            boolean inPrompt) {
            this(chunkId, documentPath, title, heading, score, cited, fileId, fileVersion, untrusted, relevance,
                    inPrompt, null, null);
        }
    }

    /** @param input the input check's summary; @param output the output checks' summary */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GuardrailsTrace(GuardrailSummary input, GuardrailSummary output) {
    }

    /**
     * @param decision       {@code allow}, {@code redact} or {@code block}
     * @param policy         the policy applied, when known
     * @param findings       what was found (no text)
     * @param reason         why it was blocked, a sentence a user may read
     * @param injectionScore the injection score, when the policy computes one
     * @param checks         how many checks it took (windows of a stream)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GuardrailSummary(String decision, String policy, List<FindingTrace> findings, String reason,
                                   Double injectionScore, Integer checks) {
    }

    /**
     * @param category e.g. {@code EMAIL_ADDRESS}, {@code PROMPT_INJECTION}
     * @param action   what happened to it: {@code mask}, {@code block} or {@code report}
     * @param detector the detector that found it
     * @param field    where, e.g. {@code messages[0].content} or {@code answer}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FindingTrace(String category, String action, String detector, String field) {

        /**
         * Findings carry no action of their own: a blocked verdict blocked, a redacted one masked what it found (an
         * injection finding never masks), and an allowed one only reported.
         */
        public static List<FindingTrace> of(List<dev.genaiplatform.contracts.guardrails.Finding> findings,
                                            dev.genaiplatform.contracts.guardrails.Verdict verdict) {
            if (findings == null) {
                return List.of();
            }
            return findings.stream().map(f -> new FindingTrace(f.category(), switch (verdict) {
                case BLOCKED -> "block";
                case REDACTED -> "PROMPT_INJECTION".equals(f.category()) ? "report" : "mask";
                case ALLOWED -> "report";
                case null -> null;
            }, f.detector(), f.field())).toList();
        }
    }
}
