package dev.genaiplatform.guardrails.bench;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.guardrails.TestTokens;
import dev.genaiplatform.guardrails.detection.MiniLm;
import dev.genaiplatform.guardrails.detection.Pseudonyms;
import dev.genaiplatform.guardrails.ner.NameFinderDetector;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.policy.OwaspCategory;
import dev.genaiplatform.guardrails.security.InternalTokenSecurity;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The three commands of one grounded chat request as guardrails' listeners handle them, without the broker: for
 * each, the command read from JSON, the request's internal token verified (a new token per request, through the
 * verified-token cache), the checks, the reply and the verdict events written as JSON. Built only from classes
 * both the current code and an earlier build have, so {@link PlatformRequestBenchmark} can load it twice, once
 * over each build's classes, and run the two side by side.
 *
 * <p>{@code same}: the lead's load (infra/load/cpu-per-request.sh): one question, the same five passages and the
 * same grounded answer every time, so every cache is warm. {@code fresh}: a new question and a new answer per
 * request (MiniLM reads both), the same five passages. {@code numbers}: as {@code same}, with a last cited
 * sentence holding the numbers documentation answers quote (a date, a port, a count, a rate: 24 digits in the
 * sentence, at most 8 in one number) and a colon, as the platform's answers under the lead's load evidently do (wave 8's
 * profile: the number, IBAN and secret-cue patterns ran on every answer).
 */
public final class OneChatRequest implements IntFunction<Runnable> {

    private static final String QUESTION = "How does retrieval rank passages?";

    private final RequestCostBenchmark.Checks checks;
    private final JwtDecoder tokens;
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<String> passages;
    private final boolean fresh;
    private final boolean numbers;

    public OneChatRequest(String mode) throws Exception {
        this.fresh = mode.equals("fresh");
        this.numbers = mode.equals("numbers");
        this.checks = RequestCostBenchmark.Checks.wire(new MiniLm(), NameFinderDetector.remembering(10_000));
        NimbusJwtDecoder nimbus = NimbusJwtDecoder
                .withJwkSource(new ImmutableJWKSet<>(new JWKSet(TestTokens.GATEWAY_KEY.toPublicJWK())))
                .jwsAlgorithm(SignatureAlgorithm.ES256).build();
        nimbus.setJwtValidator(InternalTokenSecurity.validator());
        this.tokens = new CachingJwtDecoder(nimbus);
        List<String> all = RequestCostBenchmark.passages();
        // prose paragraphs about ranking (a code block or a table is not what the simulator quotes from)
        List<String> ranked = new ArrayList<>(all.stream()
                .filter(p -> p.contains("rank") && p.toLowerCase().contains("retriev"))
                .filter(p -> !p.startsWith("```") && !p.startsWith("|") && !p.contains("{")).limit(5).toList());
        all.stream().filter(p -> !ranked.contains(p)).limit(5 - ranked.size()).forEach(ranked::add);
        this.passages = List.copyOf(ranked);
    }

    /** Request {@code n}: its token signed and its commands written now; the returned work is what is measured. */
    @Override
    public Runnable apply(int n) {
        String token = TestTokens.token("demo", "chat");
        String requestId = "r-" + n;
        String question = fresh ? RequestCostBenchmark.question(n) : QUESTION;
        String answer = fresh ? RequestCostBenchmark.answer(n, passages) : groundedAnswer();
        byte[] input = json.writeValueAsBytes(new CheckInputCommand(requestId,
                List.of(new ChatMessage("user", question))));
        byte[] search = json.writeValueAsBytes(CheckOutputCommand.untrusted(requestId,
                CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, passages, null));
        byte[] reply = json.writeValueAsBytes(new CheckOutputCommand(requestId, CheckOutputCommand.SOURCE_ANSWER,
                answer, 0, "cnry-0a1b2c3d", "You are the documentation assistant. Answer from the passages and cite "
                + "them as [n]. cnry-0a1b2c3d", List.of("docs.example"), null, null));
        return () -> {
            checkInput(input, token);
            checkOutput(search, token);
            checkOutput(reply, token);
        };
    }

    private void checkInput(byte[] record, String token) {
        CheckInputCommand command = json.readValue(record, CheckInputCommand.class);
        String tenant = tokens.decode(token).getClaimAsString(InternalToken.CLAIM_TENANT);
        var outcome = checks.pipeline().check(command, checks.policy(), Pseudonyms.perRequest());
        checks.questions().of(command, outcome.reply());
        json.writeValueAsBytes(outcome.reply());
        json.writeValueAsBytes(new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), Instant.now(),
                command.requestId(), tenant, "input", outcome.policy(), outcome.reply().verdict(),
                outcome.reply().injectionScore(), outcome.reply().findings(), outcome.owaspCategories(),
                outcome.reply().reason(), outcome.tookMicros()));
    }

    private void checkOutput(byte[] record, String token) {
        CheckOutputCommand command = json.readValue(record, CheckOutputCommand.class);
        String tenant = tokens.decode(token).getClaimAsString(InternalToken.CLAIM_TENANT);
        OutputCheckedReply reply;
        if (command.texts() == null) {
            reply = checks.output().checkOne(command, checks.policy());
            event(reply, tenant);
        } else {
            List<OutputCheckedReply> items = new ArrayList<>();
            for (CheckOutputCommand single : OutputChecker.each(command)) {
                OutputCheckedReply item = checks.output().checkOne(single, checks.policy());
                event(item, tenant);
                items.add(item);
            }
            reply = OutputChecker.combine(command, items);
        }
        json.writeValueAsBytes(reply);
    }

    private void event(OutputCheckedReply reply, String tenant) {
        List<String> owasp = reply.findings().stream().map(finding -> OwaspCategory.of(finding.category()))
                .distinct().sorted().toList();
        json.writeValueAsBytes(new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), Instant.now(),
                reply.requestId(), tenant, reply.source(), checks.policy().name(), reply.verdict(),
                reply.injectionScore(), reply.findings(), owasp, reply.reason(), 0));
    }

    /** What the simulator answers from these passages: the first sentence of each of the first three, cited as [n]. */
    private String groundedAnswer() {
        StringBuilder answer = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String[] sentences = passages.get(i).split("(?<=\\.) ");
            answer.append(i == 0 ? "" : " ").append(sentences[0]).append(" [").append(i + 1).append(']');
        }
        if (numbers) {
            answer.append(" Measured on 2026-12-06: the fused list keeps the top 5 of 20 candidates (k = 60), and"
                    + " the search listener on port 8085 answers in 0.35 ms at 150 requests/s [2].");
        }
        return answer.toString();
    }
}
