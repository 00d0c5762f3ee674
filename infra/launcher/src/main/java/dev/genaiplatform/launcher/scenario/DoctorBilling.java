package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recruiter question: doctors send billing information to insurers from their patient notes. A synthetic note
 * goes through the guardrails (identifiers found and pseudonymised before any model sees them), billable items
 * are matched to a fee schedule, and the claim to the insurer waits for the doctor's approval.
 */
final class DoctorBilling implements Scenario {

    /** A tiny fee schedule (synthetic): what a phrase in the note bills as. */
    private static final Map<String, BigDecimal> FEES = new LinkedHashMap<>(Map.of(
            "outpatient", new BigDecimal("110.00"), "chest X-ray", new BigDecimal("65.00"),
            "Complete blood count", new BigDecimal("18.00")));

    @Override
    public String name() {
        return "doctor-billing";
    }

    @Override
    public String question() {
        return "Design a system that lets doctors send billing information to insurers automatically from patient notes.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        String note = context.sample("patient-notes/visit-2026-11-20.txt");
        report.step("The note through the guardrails, pseudonymising policy: identifiers found, replaced consistently");
        Gateway.Reply check = context.gateway().post("/api/guardrails/check", Map.of("text", note, "policy", "pseudonymise"));
        report.saw("verdict", check.at("/verdict").asString() + ", policy " + check.at("/policy").asString());
        java.util.Set<String> categories = new java.util.TreeSet<>();
        for (JsonNode finding : check.at("/findings")) {
            categories.add(finding.path("category").asString());
        }
        report.saw("found", categories);
        report.saw("what a model would see", ScenarioContext.brief(check.at("/checked/0/content").asString(), 260));
        report.fact("piiCategories", categories);

        report.step("Billable items matched against the fee schedule (deterministic, auditable)");
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> fee : FEES.entrySet()) {
            if (note.contains(fee.getKey())) {
                total = total.add(fee.getValue());
                report.saw(fee.getKey(), fee.getValue() + " EUR");
            }
        }
        report.saw("total", total + " EUR");
        report.note("a model can propose codes from free text; the claim carries only codes the schedule knows, and a human signs it");

        report.step("The claim to the insurer: a sensitive tool, so tools-agent holds it for the doctor's approval");
        Gateway.Reply claim = context.tool("submit_claim", Map.of("policyNumber", "NM-520931", "incidentDate", "2026-11-20",
                "amount", total, "description", "Outpatient visit, chest X-ray two views, complete blood count: pneumonia, right lower lobe."),
                context.unique("doctor-billing"));
        if (ScenarioContext.toolAnswered(claim, report)) {
            report.saw("submit_claim", claim.status() + " " + claim.at("/status").asString() + ", approval " + claim.at("/approvalId").asString(""));
            report.fact("claimStatus", claim.at("/status").asString());
            if (claim.at("/status").asString().equals("PENDING_APPROVAL")) {
                Gateway.Reply approved = context.gateway().post("/api/tools/approvals/" + claim.at("/approvalId").asString(),
                        Map.of("decision", "approve", "reason", "Dr. Alvarez checked the codes"));
                report.saw("the doctor approves", approved.status() + " " + ScenarioContext.brief(approved.text(), 200));
            }
        }

        report.lookAt("the check answer's findings (detector, category, offsets) and checked[0].content with pseudonyms");
        report.lookAt("tools-agent/src/main/resources/tool-policy.yml: submit_claim is sensitive, every call waits for a human");
        report.lookAt("GET /api/tools/approvals: what waits, with its arguments and expiry");
        report.lookAt("scenarios/patient-notes/: the synthetic note");
        report.outOfReach("real medical coding (ICD-10, CPT) and insurer connections (EDI 837, FHIR Claim): the fee "
                + "schedule and the claims tool are local stand-ins; no health data leaves this machine");
        report.outOfReach("HIPAA/GDPR compliance as a certification: the platform shows the mechanisms (masking, "
                + "tenant isolation, audit rows, approvals), not a compliance programme");
    }
}
