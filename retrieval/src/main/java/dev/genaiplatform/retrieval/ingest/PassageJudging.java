package dev.genaiplatform.retrieval.ingest;

import dev.genaiplatform.contracts.guardrails.JudgePassagesCommand;
import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.retrieval.catalog.PassageVerdicts;
import dev.genaiplatform.retrieval.messaging.GuardrailsJudge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Gets guardrails' verdict for each newly indexed passage once (README, Wave 11), after the passages are searchable
 * and off the ingestion's path: a document's texts that have no stored verdict yet are sent in batches, on a virtual
 * thread of their own, so ingestion's throughput and failure handling stay as they were. While guardrails does not
 * answer (still starting, down) the batch is asked again after growing pauses, for at most
 * {@link PassageJudgingSettings#retryFor()}; until a verdict is stored, the passage is screened per request.
 */
public class PassageJudging implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PassageJudging.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(2);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);
    /** Texts one sweep asks about at most: after a policy change every passage lacks a current verdict. */
    static final int MOST_PER_SWEEP = 10_000;

    private final PassageVerdicts verdicts;
    private final GuardrailsJudge judge;
    private final PassageJudgingSettings settings;

    public PassageJudging(PassageVerdicts verdicts, GuardrailsJudge judge, PassageJudgingSettings settings) {
        this.verdicts = verdicts;
        this.judge = judge;
        this.settings = settings;
    }

    /** Never judges anything: search results carry no verdicts. */
    public static PassageJudging off() {
        return new PassageJudging(null, null, new PassageJudgingSettings(false, Duration.ofSeconds(1), 1, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    /** Stops asking: the reply consumer stops; judging still under way gives up at its next ask. */
    @Override
    public void close() {
        if (judge != null) {
            judge.close();
        }
    }

    /** Starts judging the document's unjudged texts in the background; returns at once. */
    public void judgeLater(String document, String tenantId, List<String> texts, String token) {
        if (!settings.enabled() || texts.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("passage-judging-", 0).start(() -> judgeNow(document, tenantId, texts, token));
    }

    /**
     * Judges the document's texts that have no stored verdict, or one under another policy than guardrails' current
     * one for the tenant (learnt from the first reply; when every text has a verdict, one text is sent as a probe),
     * asking again while guardrails does not answer; true when all are judged under the current policy.
     */
    public boolean judgeNow(String document, String tenantId, List<String> texts, String token) {
        if (!settings.enabled() || texts.isEmpty()) {
            return false;
        }
        long deadline = System.nanoTime() + settings.retryFor().toNanos();
        List<String> unjudged = new ArrayList<>(verdicts.unjudged(tenantId, texts));
        Set<String> withoutVerdict = new HashSet<>(unjudged);
        List<String> reused = texts.stream().distinct().filter(text -> !withoutVerdict.contains(text)).toList();
        unjudged.addAll(verdicts.confirmInUse(tenantId, reused)); // a prune may have removed them meanwhile
        Optional<String> current = askAll(document, tenantId, unjudged.isEmpty() ? List.of(texts.getFirst()) : unjudged,
                token, deadline);
        if (current.isEmpty()) {
            return false;
        }
        List<String> stale = verdicts.judgedUnderAnother(tenantId, texts, current.get());
        if (!stale.isEmpty() && askAll(document, tenantId, stale, token, deadline).isEmpty()) {
            return false;
        }
        if (!unjudged.isEmpty() || !stale.isEmpty()) {
            log.info("Guardrails judged {} passages of {} at indexing ({} after a policy change)",
                    unjudged.size() + stale.size(), document, stale.size());
        }
        return true;
    }

    /**
     * Judges the indexed passages that still lack a verdict under guardrails' current policy for their tenant: those
     * whose judging gave up while guardrails was down, and those judged under a policy that has changed since (the
     * fingerprint changes with the policy's settings and with guardrails' judge itself). Per tenant, one text is sent
     * first to learn the current fingerprint; a text whose verdict is missing or stale here is looked up in the table
     * first (another instance may have judged it), and at most {@value #MOST_PER_SWEEP} texts are asked about per
     * sweep (the next sweep goes on). A tenant whose ask fails is left for the next sweep, not retried here.
     *
     * @param indexed hands every indexed passage's tenant and text to its argument (called twice)
     * @return how many texts were judged
     */
    public int judgeStillUnjudged(Consumer<BiConsumer<String, String>> indexed) {
        if (!settings.enabled()) {
            return 0;
        }
        Map<String, String> probeByTenant = new LinkedHashMap<>();
        indexed.accept((tenantId, text) -> {
            if (tenantId != null && text != null) {
                probeByTenant.putIfAbsent(tenantId, text);
            }
        });
        Map<String, String> current = new HashMap<>();
        probeByTenant.forEach((tenantId, probe) -> askAll("sweep:" + tenantId, tenantId, List.of(probe), null,
                System.nanoTime()).ifPresent(fingerprint -> current.put(tenantId, fingerprint)));
        Map<String, Set<String>> lacking = new LinkedHashMap<>();
        int[] collected = {0};
        indexed.accept((tenantId, text) -> {
            String fingerprint = current.get(tenantId);
            if (fingerprint != null && text != null && collected[0] < MOST_PER_SWEEP
                    && verdicts.lacksVerdictUnder(tenantId, text, fingerprint)
                    && lacking.computeIfAbsent(tenantId, tenant -> new LinkedHashSet<>()).add(text)) {
                collected[0]++;
            }
        });
        int judged = 0;
        for (var tenant : lacking.entrySet()) {
            List<String> texts = verdicts.stillLacking(tenant.getKey(), List.copyOf(tenant.getValue()),
                    current.get(tenant.getKey()));
            if (!texts.isEmpty() && askAll("sweep:" + tenant.getKey(), tenant.getKey(), texts, null, System.nanoTime())
                    .isPresent()) {
                judged += texts.size();
            }
        }
        if (judged > 0) {
            log.info("Guardrails judged {} indexed passages that lacked a verdict under the current policy", judged);
        }
        return judged;
    }

    /** Asks about {@code pending} in batches; the fingerprint the verdicts carry, or empty when guardrails never answered. */
    private Optional<String> askAll(String document, String tenantId, List<String> pending, String token, long deadline) {
        Duration pause = FIRST_PAUSE;
        String fingerprint = null;
        for (int from = 0; from < pending.size(); ) {
            List<String> batch = pending.subList(from, Math.min(pending.size(), from + settings.batchSize()));
            Optional<List<PassageVerdict>> judged = judge.judge(document,
                    new JudgePassagesCommand("index:" + document, tenantId, batch), token);
            if (judged.isPresent()) {
                verdicts.save(tenantId, batch, judged.get());
                fingerprint = judged.get().getFirst().policyFingerprint();
                from += batch.size();
                continue;
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                log.warn("Guardrails did not judge {} passages of {} in time: they are screened per request",
                        pending.size() - from, document);
                return Optional.empty();
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
        return Optional.ofNullable(fingerprint);
    }
}
