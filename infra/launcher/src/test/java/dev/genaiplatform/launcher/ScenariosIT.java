package dev.genaiplatform.launcher;

import dev.genaiplatform.launcher.scenario.Gateway;
import dev.genaiplatform.launcher.scenario.Report;
import dev.genaiplatform.launcher.scenario.Scenario;
import dev.genaiplatform.launcher.scenario.ScenarioContext;
import dev.genaiplatform.launcher.scenario.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every scenario of {@code ./platform.sh scenario} against the shared real platform (the simulator without
 * delays), through the gateway only, asserting the observable each one exists to show. Where a step needs a
 * service that refuses the gateway's token in this build, the scenario reports it and the assertion that needs
 * it is skipped (an assumption), not weakened.
 */
class ScenariosIT {

    private static ScenarioContext context;

    @BeforeAll
    static void platform() throws Exception {
        LauncherSettings settings = RunningPlatform.get();
        context = new ScenarioContext(new Gateway(RunningPlatform.gateway("/"), RunningPlatform.DEMO_KEY), settings.home());
    }

    private static Map<String, Object> run(String name) throws Exception {
        Scenario scenario = Scenarios.named(name).orElseThrow();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Scenarios.run(scenario, context, report);
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(output).contains("=== scenario " + name + " ===").contains("What to look at:");
        return report.facts();
    }

    @Test
    void listsTheSeventeenQuestionsOfTheGuideUnderTheirFixedNames() {
        assertThat(Scenarios.all()).extracting(Scenario::name).containsExactly("phone-llm", "kv-cache", "rag-project",
                "hardest-problem", "chatgpt", "chatbot", "enterprise-search", "llm-training", "claude-chat",
                "harmless-helpful", "batching-review", "math-model", "agent-system", "document-uploads", "doctor-billing",
                "claims-pipeline", "recommender", "batch-lane");
    }

    @Test
    void phoneLlmComputesTheMemoryBudgetStreamsAndChecksARudeRequest() throws Exception {
        Map<String, Object> facts = run("phone-llm");
        assertThat((double) facts.get("int4WeightsGiB")).isBetween(0.46, 0.47);
        assertThat((long) facts.get("streamedChunks")).isPositive();
        assertThat(facts.get("guardrailsVerdict")).isEqualTo("BLOCKED");
    }

    @Test
    void kvCacheComputes128KibPerTokenForALlama8bShapeAndShowsAnAnswerCacheHit() throws Exception {
        Map<String, Object> facts = run("kv-cache");
        assertThat((double) facts.get("kvBytesPerToken")).isEqualTo(131_072.0);
        assertThat(facts.get("secondCache")).isEqualTo("hit");
    }

    @Test
    void ragProjectAnswersWithCitations() throws Exception {
        assertThat((int) run("rag-project").get("citations")).isPositive();
    }

    @Test
    void hardestProblemReplaysARetriedRequestAndFallsBackWhenTheProviderIsDown() throws Exception {
        Map<String, Object> facts = run("hardest-problem");
        assertThat(facts.get("chatReplayed")).isEqualTo(true);
        assertThat((int) facts.get("fallbackAttempts")).isGreaterThan(1);
        assumeTrue(Boolean.TRUE.equals(facts.get("toolsReachable")), "tools-agent refused the gateway's token");
        assertThat(facts.get("toolReplayed")).isEqualTo(true);
    }

    @Test
    void chatgptStreamsRemembersTheConversationRoutesAndCaches() throws Exception {
        Map<String, Object> facts = run("chatgpt");
        assertThat((long) facts.get("streamedChunks")).isGreaterThan(1);
        assertThat((int) facts.get("historyTokens")).isPositive();
        assertThat(facts.get("cache")).isEqualTo("hit");
        assertThat((String) facts.get("routed")).contains("rule=");
    }

    @Test
    void chatbotCitesMasksAnEmailAndBlocksAnInjection() throws Exception {
        Map<String, Object> facts = run("chatbot");
        assertThat((int) facts.get("citations")).isPositive();
        assertThat(facts.get("maskedVerdict")).isEqualTo("REDACTED");
        assertThat(facts.get("blockedStatus")).isEqualTo(400);
    }

    @Test
    void enterpriseSearchFiltersCitesTheUploadedFileAndForgetsItOnDelete() throws Exception {
        Map<String, Object> facts = run("enterprise-search");
        assertThat((int) facts.get("filteredHits")).isPositive();
        assertThat((int) facts.get("citations")).isPositive();
        assertThat(facts.get("hitsAfterDelete")).isEqualTo(0L);
    }

    @Test
    void llmTrainingSizesTheRunAndPassesAnEvaluationRun() throws Exception {
        Map<String, Object> facts = run("llm-training");
        assertThat((double) facts.get("trainingFlops")).isEqualTo(8.4e22);
        assertThat(facts.get("evaluationStatus")).isEqualTo("SUCCEEDED");
    }

    @Test
    void claudeChatStreamsWithUsageAndAnswersFromTheFallback() throws Exception {
        Map<String, Object> facts = run("claude-chat");
        assertThat((int) facts.get("streamEvents")).isGreaterThan(2);
        assertThat(facts.get("fallback")).isEqualTo("sim-small");
    }

    @Test
    void harmlessHelpfulStopsEveryHarmfulRequestAndAnswersEveryBenignOne() throws Exception {
        Map<String, Object> facts = run("harmless-helpful");
        assertThat(facts.get("harmfulStopped")).isEqualTo(3);
        assertThat(facts.get("benignAnswered")).isEqualTo(3);
    }

    @Test
    void batchingReviewAnswersConcurrentStreamsOrShedsThemWithARetryableProblem() throws Exception {
        Map<String, Object> facts = run("batching-review");
        // on a machine loaded by other builds a dependency may time out: the platform must then say so, never hang
        assertThat((int) facts.get("completedConcurrently")).isPositive();
        assertThat((int) facts.get("completedConcurrently") + ((List<?>) facts.get("shed")).size()).isEqualTo(12);
        assertThat((List<?>) facts.get("shed")).allSatisfy(problem -> assertThat(problem.toString()).containsAnyOf(" 503", " 429"));
    }

    @Test
    void mathModelCallsTheCalculatorToolAndScoresTheWordProblems() throws Exception {
        Map<String, Object> facts = run("math-model");
        assertThat(facts.get("toolCalled")).isEqualTo("calculate");
        assertThat(facts.get("evaluationStatus")).isEqualTo("SUCCEEDED");
    }

    @Test
    void agentSystemRunsTheLoopAndHoldsASensitiveToolForApproval() throws Exception {
        Map<String, Object> facts = run("agent-system");
        assumeTrue(Boolean.TRUE.equals(facts.get("toolsReachable")), "tools-agent refused the gateway's token");
        assertThat(facts.get("calculatorRun")).isEqualTo("SUCCEEDED");
        assertThat(facts.get("emailStatus")).isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void documentUploadsRefusesAnExecutableIngestsThePayslipsAndFlagsTheOneThatDoesNotAddUp() throws Exception {
        Map<String, Object> facts = run("document-uploads");
        assertThat(facts.get("invalidRefused")).isEqualTo(415);
        assertThat(facts.get("ingested")).isEqualTo(3);
        assertThat(facts.get("inconsistent")).isEqualTo(1);
    }

    @Test
    void doctorBillingFindsTheIdentifiersAndHoldsTheClaimForApproval() throws Exception {
        Map<String, Object> facts = run("doctor-billing");
        assertThat(facts.get("piiCategories").toString()).contains("US_SSN", "PERSON");
        assumeTrue(Boolean.TRUE.equals(facts.get("toolsReachable")), "tools-agent refused the gateway's token");
        assertThat(facts.get("claimStatus")).isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void claimsPipelineQuarantinesTheInjectionAndAsksForAMissingPolicyNumber() throws Exception {
        Map<String, Object> facts = run("claims-pipeline");
        assertThat(facts.get("blocked")).isEqualTo(1);
        assertThat(facts.get("askedForPolicy")).isEqualTo(true);
        assumeTrue(Boolean.TRUE.equals(facts.get("toolsReachable")), "tools-agent refused the gateway's token");
        assertThat(facts.get("claimStatus")).isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void recommenderReadsTheUsersOrdersAndRecommendsWithReasons() throws Exception {
        Map<String, Object> facts = run("recommender");
        assumeTrue(Boolean.TRUE.equals(facts.get("toolsReachable")), "tools-agent refused the gateway's token");
        assertThat(facts.get("orders")).isEqualTo(true);
        assertThat(facts.get("recommended")).isEqualTo(true);
    }
}
