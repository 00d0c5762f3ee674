package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.orchestrator.citation.Citation;
import dev.genaiplatform.orchestrator.guardrails.OutputGuard.ScreenedPassage;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.routing.RouteDecision;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a {@link RequestTrace} into the answer's {@code platform} member (ADR 0005): the same facts the
 * completion event and {@code Server-Timing} carry, in the shape the web UI draws.
 */
final class AnswerTraces {

    private AnswerTraces() {
    }

    static PlatformMetadata metadata(RequestTrace trace, RouteDecision route, GroundedPrompt prompt,
                                     List<Citation> citations) {
        PlatformMetadata.Route routed = route == null ? null : new PlatformMetadata.Route(route.requested(),
                trace.servedModel, route.model(), route.rule(), route.complexity());
        return new PlatformMetadata(routed, trace.cache, List.copyOf(trace.attempts),
                prompt == null ? null : prompt.budget(), trace.costUsd, null, trace.structuredOutput,
                trace.answerKind, trace.clarification, trace.experiment, trace.stages(),
                retrieval(trace, prompt, citations), guardrails(trace));
    }

    private static PlatformMetadata.RetrievalTrace retrieval(RequestTrace trace, GroundedPrompt prompt,
                                                             List<Citation> citations) {
        if (trace.retrievalQuery == null) {
            return null;
        }
        Set<String> cited = citations == null ? Set.of()
                : citations.stream().map(Citation::chunkId).collect(Collectors.toSet());
        Set<String> inPrompt = prompt == null ? Set.of() : Set.copyOf(prompt.passageIds());
        List<PlatformMetadata.PassageTrace> passages = trace.screenedPassages.stream().map(screened -> {
            RetrievedChunk chunk = screened.chunk();
            return new PlatformMetadata.PassageTrace(chunk.chunkId(), chunk.documentPath(), chunk.title(),
                    chunk.heading(), chunk.score(), cited.contains(chunk.chunkId()), chunk.fileId(),
                    chunk.fileVersion(), screened.flagged(), trace.passageRelevance.get(chunk.chunkId()),
                    !screened.dropped() && inPrompt.contains(chunk.chunkId()),
                    screened.judged() == null ? null : screened.dropped() ? "block" : "allow", screened.judged());
        }).toList();
        return new PlatformMetadata.RetrievalTrace(trace.retrievalQuery, passages);
    }

    private static PlatformMetadata.GuardrailsTrace guardrails(RequestTrace trace) {
        if (trace.inputCheck == null && trace.outputCheck == null) {
            return null;
        }
        return new PlatformMetadata.GuardrailsTrace(trace.inputCheck, trace.outputCheck);
    }

    /** The input verdict, findings without text; each finding's action follows from the verdict. */
    static PlatformMetadata.GuardrailSummary input(InputCheckedReply check) {
        return new PlatformMetadata.GuardrailSummary(decision(check.verdict()), null,
                findings(check.findings(), check.verdict()), check.reason(), check.injectionScore(), null);
    }

    /** What the output checks of one answer came to. */
    static PlatformMetadata.GuardrailSummary output(AnswerOutputCheck check) {
        Verdict verdict = check.blocked() ? Verdict.BLOCKED : check.changed() ? Verdict.REDACTED : Verdict.ALLOWED;
        return new PlatformMetadata.GuardrailSummary(decision(verdict), null, findings(check.findings(), verdict),
                check.blocked() ? check.blockedBy().reason() : null, null, check.checks());
    }

    static List<PlatformMetadata.FindingTrace> findings(List<Finding> findings, Verdict verdict) {
        return PlatformMetadata.FindingTrace.of(findings, verdict);
    }

    static String decision(Verdict verdict) {
        return switch (verdict) {
            case ALLOWED -> "allow";
            case REDACTED -> "redact";
            case BLOCKED -> "block";
            case null -> null;
        };
    }

    /** Passages that may go into the prompt: the untrusted-data check dropped the others. */
    static List<RetrievedChunk> usable(List<ScreenedPassage> screened) {
        return screened.stream().filter(p -> !p.dropped()).map(ScreenedPassage::chunk).toList();
    }
}
