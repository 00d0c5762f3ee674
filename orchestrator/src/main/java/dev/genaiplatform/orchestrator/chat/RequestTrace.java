package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.orchestrator.provider.ModelRequest;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.chat.RequestProvenance;
import dev.genaiplatform.contracts.guardrails.Verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The facts of one chat request, collected while it runs: how long each stage took, what guardrails
 * decided, which passages went into the prompt, what the model reported. At the end they become the
 * {@code Server-Timing} header, the stage timers and the {@link ChatCompletionRecordedEvent}.
 *
 * <p>One request writes its trace from one thread at a time (the request's virtual thread, then the
 * stream's signals, which Reactor delivers one after another), so plain fields are enough.
 */
final class RequestTrace {

    /** The stages of the flow, in the order they run; the names appear in Server-Timing and metrics. */
    enum Stage {
        ROUTE("route"), MEMORY("memory"), CACHE("cache"), SEMANTIC_CACHE("semantic-cache"), GUARDRAILS("guardrails"), RETRIEVAL("retrieval"), PROMPT("prompt"),
        MODEL("model"), OUTPUT_CHECKS("output-checks");

        final String metricName;

        Stage(String metricName) {
            this.metricName = metricName;
        }
    }

    final String requestId = "chatcmpl-" + UUID.randomUUID();
    final String tenantId;
    final String model;
    final boolean streamed;
    /** Seconds since the epoch, OpenAI's {@code created}. */
    final long created = Instant.now().getEpochSecond();

    private final long startNanos = System.nanoTime();
    private final Map<Stage, Long> stageNanos = new EnumMap<>(Stage.class);
    private final Map<Stage, StageNote> stageNotes = new EnumMap<>(Stage.class);
    private Verdict verdict;
    private List<String> chunkIds = List.of();
    private int promptTokens;
    private int completionTokens;
    private Long firstTokenNanos;
    private String finishReason;
    /** Provenance, filled as the request goes. */
    String servedModel;
    /** What the model is asked for besides the messages, as guardrails let it through (set once they answered). */
    ModelRequest modelRequest;
    String routeRule;
    String cache = "bypass";
    String promptVersion;
    Map<String, String> retrievalSettings = Map.of();
    String conversationId;
    String userId;
    String experimentArm;
    Double costUsd;
    /** Tokens of answers rejected by the JSON schema check and asked for again (they cost too). */
    int repairPromptTokens;
    int repairCompletionTokens;
    PlatformMetadata.StructuredOutput structuredOutput;
    /** The question as guardrails let it through, for conversation memory. */
    String question;
    /** The caller's internal token, copied onto the completion event. */
    String token;
    /** Set once the completion event went out: one event per request, whatever happens after. */
    volatile boolean finished;
    final List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** ADR 0005: what kind of answer this is ({@link PlatformMetadata#ANSWER} until decided otherwise). */
    String answerKind = PlatformMetadata.ANSWER;
    PlatformMetadata.Clarification clarification;
    PlatformMetadata.Experiment experiment;
    /** The query retrieval searched with, and every passage it returned after the untrusted-data check. */
    String retrievalQuery;
    List<dev.genaiplatform.orchestrator.guardrails.OutputGuard.ScreenedPassage> screenedPassages = List.of();
    Map<String, Double> passageRelevance = Map.of();
    PlatformMetadata.GuardrailSummary inputCheck;
    PlatformMetadata.GuardrailSummary outputCheck;

    /** What a stage came to, for the answer's {@code stages}. */
    record StageNote(String outcome, String detail, Double costUsd) {
    }

    RequestTrace(String tenantId, String model, boolean streamed) {
        this.tenantId = tenantId;
        this.model = model;
        this.streamed = streamed;
    }

    /** Runs one stage and remembers how long it took, also when it fails. */
    <T> T time(Stage stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        }
        finally {
            this.stageNanos.put(stage, System.nanoTime() - start);
        }
    }

    void stageTook(Stage stage, long nanos) {
        this.stageNanos.put(stage, nanos);
    }

    /** Adds time to a stage that runs in pieces (the output checks of a stream's windows). */
    void addStageTime(Stage stage, long nanos) {
        this.stageNanos.merge(stage, nanos, Long::sum);
    }

    void note(Stage stage, String outcome, String detail) {
        note(stage, outcome, detail, null);
    }

    void note(Stage stage, String outcome, String detail, Double costUsd) {
        this.stageNotes.put(stage, new StageNote(outcome, detail, costUsd));
    }

    /** Every stage that ran, in the order of the flow, with its time and what it came to. */
    List<PlatformMetadata.StageTrace> stages() {
        List<PlatformMetadata.StageTrace> stages = new ArrayList<>();
        this.stageNanos.forEach((stage, nanos) -> {
            StageNote note = this.stageNotes.get(stage);
            stages.add(new PlatformMetadata.StageTrace(stage.metricName, Math.round(nanos / 100_000.0) / 10.0,
                    note == null ? null : note.costUsd(), note == null ? null : note.outcome(),
                    note == null ? null : note.detail()));
        });
        return stages;
    }

    Map<Stage, Long> stageNanos() {
        return this.stageNanos;
    }

    void verdict(Verdict verdict) {
        this.verdict = verdict;
    }

    void promptPassages(List<String> chunkIds) {
        this.chunkIds = List.copyOf(chunkIds);
    }

    void tokens(int promptTokens, int completionTokens) {
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
    }

    void finishReason(String finishReason) {
        this.finishReason = finishReason;
    }

    /** The first answer token arrived now (for a non-streamed answer: the whole answer did). */
    void firstToken() {
        if (this.firstTokenNanos == null) {
            this.firstTokenNanos = System.nanoTime() - this.startNanos;
        }
    }

    long elapsedNanos() {
        return System.nanoTime() - this.startNanos;
    }

    /** {@code guardrails;dur=3.1, retrieval;dur=5.0, prompt;dur=0.4, model;dur=210.7, total;dur=220.2} */
    String serverTiming() {
        List<String> entries = new ArrayList<>();
        this.stageNanos.forEach((stage, nanos) -> entries.add(timing(stage.metricName, nanos)));
        entries.add(timing("total", elapsedNanos()));
        return String.join(", ", entries);
    }

    ChatCompletionRecordedEvent toEvent(Outcome outcome) {
        return new ChatCompletionRecordedEvent(UUID.randomUUID().toString(), Instant.now(), this.requestId,
                this.tenantId, this.model, this.streamed, this.promptTokens, this.completionTokens,
                TimeUnit.NANOSECONDS.toMillis(elapsedNanos()),
                this.firstTokenNanos == null ? null : TimeUnit.NANOSECONDS.toMillis(this.firstTokenNanos),
                this.chunkIds, this.verdict, outcome, this.finishReason,
                new RequestProvenance(this.promptVersion, this.servedModel, this.routeRule, this.cache,
                        this.retrievalSettings, this.experimentArm, this.conversationId, this.userId),
                this.costUsd);
    }

    private static String timing(String name, long nanos) {
        return String.format(Locale.ROOT, "%s;dur=%.1f", name, nanos / 1_000_000.0);
    }
}
