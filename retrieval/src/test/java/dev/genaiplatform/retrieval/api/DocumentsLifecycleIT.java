package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent;
import dev.genaiplatform.retrieval.catalog.AuditLog;
import dev.genaiplatform.retrieval.support.DocumentsClient;
import dev.genaiplatform.retrieval.support.DocumentsClient.Answer;
import dev.genaiplatform.retrieval.support.RetrievalIntegrationTest;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.genaiplatform.retrieval.api.DocumentsSecurityIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document's life through the API: formats, bad input, idempotent uploads, a new version replacing the old one,
 * and deletion that is verified (gone from search and content, announced with the deleting request's token,
 * audited).
 */
class DocumentsLifecycleIT extends RetrievalIntegrationTest {

    @LocalServerPort
    private int port;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private AuditLog audit;

    @Autowired
    private dev.genaiplatform.retrieval.ingest.StoreStaleness staleness;

    @org.springframework.boot.test.web.server.LocalManagementPort
    private int managementPort;

    @Test
    void exportsTheStalenessOfEveryStore() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-stale"));
        String store = client.createStore("stale");
        String file = client.upload("old.md", "# Old\n\nSome content.".getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        client.ingest(store, file, Map.of());

        staleness.refresh();

        String metrics = org.springframework.web.client.RestClient.create("http://127.0.0.1:" + managementPort)
                .get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics).containsPattern("retrieval_store_oldest_version_age_seconds\\{[^}]*vector_store=\"" + store + "\"[^}]*} [0-9.E-]+");
    }

    @Test
    void refusesBadUploadsAndBadSearchesWithClearProblems() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-bad"));
        String store = client.createStore("bad");

        assertProblem(client.upload("empty.md", new byte[0], null), 400, "empty_file");
        assertProblem(client.upload("tool.exe", new byte[] {77, 90, 1, 2}, null), 415, "unsupported_file_type");
        assertProblem(client.upload("huge.txt", new byte[400_000], null), 413, "request_too_large");
        assertProblem(client.upload("x.md", "# x".getBytes(StandardCharsets.UTF_8), "ok,*"), 400, "invalid_value");
        assertProblem(client.post("/v1/vector_stores", Map.of("chunking_strategy", Map.of("type", "fancy"))), 400, "invalid_value");
        assertProblem(client.post("/v1/vector_stores/" + store + "/files", Map.of("file_id", "file-doesnotexist")), 404, "not_found");
        assertProblem(client.post("/v1/vector_stores/" + store + "/file_batches", Map.of("file_ids", List.of())), 400, "empty_array");
        assertProblem(client.search("vs_nope", "x", null), 404, "not_found");
        assertProblem(client.search(store, "x", "eq region emea"), 400, "invalid_filter");
        assertProblem(client.search(store, "x", Map.of("type", "gt", "key", "year", "value", 2020)), 400, "invalid_filter");
        assertProblem(client.search(store, "x", Map.of("type", "and", "filters", List.of())), 400, "invalid_filter");
        assertProblem(client.search(store, "x", Map.of("type", "eq", "key", "k", "value", Map.of("nested", 1))), 400, "invalid_filter");
        assertProblem(client.search(store, "x", Map.of("type", "xor")), 400, "invalid_filter");
        assertProblem(client.post("/v1/vector_stores/" + store + "/search", Map.of("query", "  ")), 400, "invalid_value");
        assertProblem(client.post("/v1/vector_stores/" + store + "/search", "{not json"), 400, "invalid_json");
        assertProblem(client.get("/v1/nothing-here"), 404, "route_not_found");
    }

    @Test
    void aCorruptPdfOrATextlessFileEndsFailedWithAReasonAndNothingSearchable() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-corrupt"));
        String store = client.createStore("corrupt");
        String pdf = client.upload("broken.pdf", "%PDF-1.7 this is not really a pdf zebra-quartz".getBytes(StandardCharsets.US_ASCII), null)
                .body().path("id").asString();
        String binary = client.upload("binary.txt", new byte[] {(byte) 0xC3, (byte) 0x28, 0, 1}, null).body().path("id").asString();
        String blank = client.upload("blank.md", "   \n\n  ".getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();

        for (String file : List.of(pdf, binary, blank)) {
            JsonNode done = client.ingest(store, file, Map.of());
            assertThat(done.path("status").asString()).as(file).isEqualTo("failed");
            assertThat(done.path("last_error").path("code").asString()).isEqualTo("invalid_file");
            assertThat(done.path("last_error").path("message").asString()).isNotBlank();
        }
        assertThat(client.get("/v1/vector_stores/" + store).body().path("file_counts").path("failed").asInt()).isEqualTo(3);
        assertThat(client.search(store, "zebra-quartz pdf", null).body().path("data")).isEmpty();
    }

    @Test
    void readsHtmlAndPdfKeepingHeadingsTitlesAndExactOffsets() throws IOException {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-formats"));
        String store = client.createStore("formats");
        String html = client.upload("kiln.html", """
                <html><head><title>Kiln manual</title><script>var ignored = "glaze";</script></head>
                <body><h1>Kiln manual</h1><h2>Cooling</h2><p>Never open the kiln door above two hundred degrees:
                thermal shock cracks the glaze.</p></body></html>""".getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        String pdf = client.upload("boat.pdf", pdf("Bilge pump maintenance: clean the strainer every spring."), null)
                .body().path("id").asString();
        client.ingest(store, html, Map.of("kind", "manual"));
        client.ingest(store, pdf, Map.of("kind", "leaflet", "year", 2024));

        JsonNode kiln = client.search(store, "when is it safe to open the kiln door", null).body().path("data").path(0);
        assertThat(kiln.path("file_id").asString()).isEqualTo(html);
        assertThat(kiln.path("title").asString()).isEqualTo("Kiln manual");
        assertThat(kiln.path("heading").asString()).isEqualTo("Kiln manual > Cooling");
        assertThat(kiln.path("file_version").asInt()).isEqualTo(1);
        assertThat(kiln.path("as_of").asString()).isNotBlank();
        assertThat(kiln.path("content").path(0).path("text").asString()).contains("thermal shock").doesNotContain("ignored");
        JsonNode boat = client.search(store, "bilge strainer", Map.of("type", "eq", "key", "year", "value", 2024.0)).body().path("data");
        assertThat(boat).hasSize(1);
        assertThat(boat.path(0).path("attributes").path("kind").asString()).isEqualTo("leaflet");
        assertThat(client.search(store, "bilge strainer", Map.of("type", "eq", "key", "kind", "value", "manual"))
                .body().path("data").valueStream().map(hit -> hit.path("file_id").asString())).doesNotContain(pdf);
    }

    @Test
    void theSameBytesTwiceCreateNothingNew() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-idem"));
        byte[] bytes = "# Same\n\nIdentical bytes.".getBytes(StandardCharsets.UTF_8);
        String first = client.upload("same.md", bytes, null).body().path("id").asString();
        String second = client.upload("same.md", bytes, null).body().path("id").asString();
        String store = client.createStore("idem");
        client.ingest(store, first, Map.of());
        Answer again = client.post("/v1/vector_stores/" + store + "/files", Map.of("file_id", second));

        assertThat(second).isEqualTo(first);
        assertThat(client.get("/v1/files").body().path("data")).hasSize(1);
        assertThat(again.body().path("status").asString()).isEqualTo("completed");
        assertThat(client.get("/v1/vector_stores/" + store + "/files").body().path("data")).hasSize(1);
    }

    @Test
    void aNewVersionOfADocumentReplacesTheOldOneAndTheOldOneIsAnnouncedAsSuperseded() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-fresh"));
        String store = client.createStore("fresh");
        String v1 = client.upload("gate.md", "# Gate\n\nThe garden gate code is 4711.".getBytes(StandardCharsets.UTF_8), null)
                .body().path("id").asString();
        client.ingest(store, v1, Map.of());
        try (Consumer<String, String> deletions = consumer(Topics.RETRIEVAL_DOCUMENT_DELETED)) {
            String v2 = client.upload("gate.md", "# Gate\n\nThe garden gate code is 9035 since March.".getBytes(StandardCharsets.UTF_8), null)
                    .body().path("id").asString();
            JsonNode done = client.ingest(store, v2, Map.of());

            assertThat(done.path("version").asInt()).isEqualTo(2);
            List<String> texts = client.search(store, "garden gate code", null).body().path("data").valueStream()
                    .map(hit -> hit.path("content").path(0).path("text").asString()).toList();
            assertThat(texts).anyMatch(text -> text.contains("9035")).noneMatch(text -> text.contains("4711"));
            assertThat(client.get("/v1/vector_stores/" + store + "/files").body().path("data").valueStream()
                    .map(f -> f.path("id").asString())).containsExactly(v2);
            DocumentDeletedEvent superseded = awaitEvent(deletions, v1);
            assertThat(superseded.reason()).isEqualTo(DocumentDeletedEvent.Reason.SUPERSEDED);
            assertThat(superseded.version()).isEqualTo(1);
            assertThat(superseded.tenantId()).isEqualTo("t-fresh");
        }
    }

    @Test
    void deletingAFileForgetsItAnnouncesItWithTheTokenAndAuditsWhoDidIt() {
        String token = TestTokens.token("t-delete");
        DocumentsClient client = new DocumentsClient(port, token);
        String store = client.createStore("delete");
        String file = client.upload("recipe.md", "# Recipe\n\nThe secret ingredient is smoked paprika.".getBytes(StandardCharsets.UTF_8), null)
                .body().path("id").asString();
        client.ingest(store, file, Map.of());
        assertThat(client.search(store, "secret ingredient", null).body().path("data")).isNotEmpty();

        try (Consumer<String, String> deletions = consumer(Topics.RETRIEVAL_DOCUMENT_DELETED)) {
            assertThat(client.delete("/v1/files/" + file).body().path("deleted").asBoolean()).isTrue();

            ConsumerRecord<String, String> record = awaitRecord(deletions, file);
            DocumentDeletedEvent event = JsonMapper.builder().build().readValue(record.value(), DocumentDeletedEvent.class);
            assertThat(event.reason()).isEqualTo(DocumentDeletedEvent.Reason.DELETED);
            assertThat(event.version()).isEqualTo(1);
            assertThat(event.actor()).isEqualTo("key-t-delete");
            assertThat(new String(record.headers().lastHeader(PlatformHeaders.AUTHORIZATION).value(), StandardCharsets.UTF_8)).isEqualTo(token);
        }
        assertThat(client.search(store, "secret ingredient smoked paprika", null).body().path("data")).isEmpty();
        assertThat(client.get("/api/retrieval/search?q=smoked%20paprika&k=20&store=" + store).body().path("chunks")).isEmpty();
        assertProblem(client.get("/v1/files/" + file + "/content"), 404, "not_found");
        assertProblem(client.delete("/v1/files/" + file), 404, "not_found");
        assertThat(audit.forTenant("t-delete")).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("file.deleted");
            assertThat(entry.target()).isEqualTo(file);
            assertThat(entry.actor()).isEqualTo("key-t-delete");
            assertThat(entry.endUser()).isEqualTo("user-1");
            assertThat(entry.occurredAt()).isNotNull();
        });
    }

    private Consumer<String, String> consumer(String topic) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "lifecycle-" + System.nanoTime(), false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
                new StringDeserializer()).createConsumer();
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static DocumentDeletedEvent awaitEvent(Consumer<String, String> consumer, String fileId) {
        return JsonMapper.builder().build().readValue(awaitRecord(consumer, fileId).value(), DocumentDeletedEvent.class);
    }

    private static ConsumerRecord<String, String> awaitRecord(Consumer<String, String> consumer, String key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                seen.add(record.key());
                if (key.equals(record.key())) {
                    return record;
                }
            }
        }
        throw new AssertionError("no record with key " + key + "; saw " + seen);
    }

    private static byte[] pdf(String line) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(72, 700);
                content.showText(line);
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        }
    }
}
