package dev.genaiplatform.launcher.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recruiter question: a document pipeline for unstructured input (e-mails, PDFs, images) that automates claims.
 * Three synthetic claim e-mails: a clean one is filed (and waits for an adjuster), one without a policy number is
 * sent back with a question, and one carrying a prompt injection is stopped and can act on nothing.
 */
final class ClaimsPipeline implements Scenario {

    private static final Pattern POLICY = Pattern.compile("\\b([A-Z]{2}-[0-9]{6})\\b");
    private static final Pattern AMOUNT = Pattern.compile("([0-9][0-9,]*) EUR");
    private static final Pattern DATE = Pattern.compile("\\b(20[0-9]{2}-[0-9]{2}-[0-9]{2})\\b");

    @Override
    public String name() {
        return "claims-pipeline";
    }

    @Override
    public String question() {
        return "Design a GenAI pipeline for unstructured documents (e-mails, PDFs, images) that automates claims processing.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        int blocked = 0;
        for (Path email : context.samples("claims")) {
            String text = Files.readString(email);
            report.step(email.getFileName() + ": " + ScenarioContext.brief(text.lines().filter(l -> l.startsWith("Subject:")).findFirst().orElse(""), 70));

            Gateway.Reply check = context.gateway().post("/api/guardrails/check", Map.of("text", text));
            report.saw("guardrails", check.at("/verdict").asString() + String.format(", injectionScore %.2f", check.at("/injectionScore").asDouble())
                    + ", " + check.at("/owaspCategories"));
            if (check.at("/verdict").asString().equals("BLOCKED")) {
                blocked++;
                report.saw("outcome", "quarantined for a person: the instruction inside the e-mail never reaches a model or a tool");
                continue;
            }
            Matcher policy = POLICY.matcher(text);
            if (!policy.find()) {
                report.saw("outcome", "no policy number: reply to the sender asking for it (a clarifying question, not a guess)");
                report.fact("askedForPolicy", true);
                continue;
            }
            Matcher amount = AMOUNT.matcher(text);
            java.math.BigDecimal total = java.math.BigDecimal.ZERO;
            while (amount.find()) {
                total = total.add(new java.math.BigDecimal(amount.group(1).replace(",", "")));
            }
            Matcher date = DATE.matcher(text);
            String incident = date.find() ? date.group(1) : "unknown";
            report.saw("extracted", "policy " + policy.group(1) + ", incident " + incident + ", amount " + total + " EUR");
            Gateway.Reply claim = context.tool("submit_claim", Map.of("policyNumber", policy.group(1), "incidentDate", incident,
                    "amount", total, "description", ScenarioContext.brief(text, 400)), context.unique(email.getFileName().toString()));
            if (ScenarioContext.toolAnswered(claim, report)) {
                report.saw("submit_claim", claim.status() + " " + claim.at("/status").asString() + " (an adjuster approves it)");
                report.fact("claimStatus", claim.at("/status").asString());
            }
        }
        report.fact("blocked", blocked);

        report.step("Even if an injected e-mail reached an agent, its side effects wait for a human");
        Gateway.Reply run = AgentRuns.start(context, report, "Process this claim e-mail: " + context.sample("claims/claim-3-injection.txt"),
                List.of("submit_claim", "send_email"), "sim-large");
        if (run != null) {
            AgentRuns.show(run, report);
        }
        report.note("submit_claim and send_email are sensitive in tool-policy.yml: whatever a model asks, from any run, "
                + "tools-agent holds the call until a person approves it (the clean claim above is waiting)");

        report.lookAt("the guardrails verdict per e-mail: BLOCKED ones are quarantined before any model or tool");
        report.lookAt("tools-agent's submit_claim schema (policy number pattern, amount range): arguments are validated before anything runs");
        report.lookAt("docs/threat-model.md and guardrails/README.md: untrusted data, indirect prompt injection");
        report.lookAt("scenarios/claims/: the three synthetic e-mails");
        report.outOfReach("images and scanned PDFs (OCR, photos of damage): the pipeline here reads text");
        report.outOfReach("field extraction by a real model: the simulator cannot read an e-mail, so the fields are taken "
                + "by patterns here; a real provider drops in by configuration (README, \"Real providers\")");
    }
}
