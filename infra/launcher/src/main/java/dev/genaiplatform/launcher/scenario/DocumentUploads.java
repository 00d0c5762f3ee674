package dev.genaiplatform.launcher.scenario;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recruiter question: 10k uploads a month (payslips, ids, references): extract, detect inconsistencies, reject
 * invalid files, survive provider downtime. Synthetic payslips from scenarios/payslips go through the real upload
 * and ingestion API; extraction asks for schema-checked JSON; a deterministic check catches the payslip whose
 * numbers do not add up.
 */
final class DocumentUploads implements Scenario {

    private static final Map<String, Object> PAYSLIP_SCHEMA = Map.of("type", "json_schema", "json_schema", Map.of(
            "name", "payslip", "strict", true, "schema", Map.of("type", "object", "additionalProperties", false,
                    "required", List.of("gross", "deductions", "net"), "properties", Map.of(
                            "gross", Map.of("type", "number"), "deductions", Map.of("type", "number"), "net", Map.of("type", "number")))));

    @Override
    public String name() {
        return "document-uploads";
    }

    @Override
    public String question() {
        return "Process 10k user uploads a month (payslips, ids, references): extract data, catch inconsistencies, "
                + "reject invalid files, survive LLM provider downtime.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        Gateway gateway = context.gateway();
        report.step("An invalid file is refused at the door, before anything is stored");
        byte[] executable = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0};
        Gateway.Reply refused = gateway.upload("/v1/files", "payslip.exe", "application/octet-stream", executable, Map.of("purpose", "assistants"));
        report.saw("upload payslip.exe", refused.status() + " " + ScenarioContext.problemCode(refused) + ": " + refused.at("/detail").asString());
        report.fact("invalidRefused", refused.status());

        report.step("The applicant's documents: uploaded, ingested into their own vector store (asynchronously, with progress)");
        String storeId = gateway.post("/v1/vector_stores", Map.of("name", context.unique("applicant"))).at("/id").asString();
        int ingested = 0;
        for (Path file : context.samples("payslips")) {
            String fileId = gateway.upload("/v1/files", file.getFileName().toString(), "text/plain", Files.readAllBytes(file),
                    Map.of("purpose", "assistants")).at("/id").asString();
            gateway.post("/v1/vector_stores/" + storeId + "/files", Map.of("file_id", fileId));
            Gateway.Reply status = context.poll("/v1/vector_stores/" + storeId + "/files/" + fileId, "/status",
                    List.of("completed", "failed"), Duration.ofSeconds(60));
            ingested += status.at("/status").asString().equals("completed") ? 1 : 0;
            report.saw(file.getFileName().toString(), status.at("/status").asString() + " (" + status.at("/progress/stage").asString("") + ")");
        }
        report.fact("ingested", ingested);

        report.step("Extraction as schema-checked JSON (response_format json_schema)");
        String november = context.sample("payslips/payslip-2026-11-novak.txt");
        Gateway.Reply extracted = context.chat(Map.of("model", "sim-small", "response_format", PAYSLIP_SCHEMA, "messages", List.of(
                Map.of("role", "system", "content", "Extract gross pay, total deductions and net pay from the payslip."),
                Map.of("role", "user", "content", november))));
        report.saw("content", extracted.at("/choices/0/message/content").asString());
        report.saw("platform.structuredOutput", extracted.at("/platform/structuredOutput"));
        report.note("the simulator returns schema-valid JSON with made-up values: it proves the contract, not the reading");

        report.step("Consistency checks in code, never left to the model: net = gross - deductions");
        int inconsistent = 0;
        for (Path file : context.samples("payslips")) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            BigDecimal gross = amount(text, "Gross pay"), deductions = amount(text, "Total deductions"), net = amount(text, "Net pay");
            if (gross == null || deductions == null || net == null) {
                report.saw(file.getFileName().toString(), "not a payslip: routed to a person");
                continue;
            }
            boolean adds = gross.subtract(deductions).compareTo(net) == 0;
            inconsistent += adds ? 0 : 1;
            report.saw(file.getFileName().toString(), gross + " - " + deductions + " = " + gross.subtract(deductions)
                    + (adds ? ", matches net " : ", but net says ") + net + (adds ? "" : "  <- INCONSISTENT, flagged"));
        }
        report.fact("inconsistent", inconsistent);

        report.step("The extraction model's provider goes down: the fallback chain answers");
        Gateway.Reply down = context.ask(Scenarios.OFFLINE_MODEL, "What does the payslip pipeline do when a provider is down?");
        if (down.status() == 404) {
            report.note("this running platform has no " + Scenarios.OFFLINE_MODEL + " model; see docs/resilience-scorecard.md");
        } else {
            report.saw("platform.attempts", down.at("/platform/attempts"));
        }

        report.lookAt("the 415 problem unsupported_file_type: validation before storage (retrieval/README.md)");
        report.lookAt("vector store file status and progress: ingestion is a Kafka pipeline, idempotent by content hash");
        report.lookAt("platform.structuredOutput: attempts and validation errors of the schema-repair loop");
        report.lookAt("scenarios/payslips/: the synthetic inputs; the November payslip's net pay is off by 600");
        report.outOfReach("reading scanned images and ID cards (OCR, layout models): uploads here are text, Markdown, "
                + "HTML or PDF with a text layer; a real model is needed for the extraction to carry real values");
        report.outOfReach("fraud detection across applicants and a review queue UI: the flag is printed, not routed");
    }

    private static BigDecimal amount(String text, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + ":\\s*([0-9]+\\.[0-9]{2})").matcher(text);
        return m.find() ? new BigDecimal(m.group(1)) : null;
    }
}
