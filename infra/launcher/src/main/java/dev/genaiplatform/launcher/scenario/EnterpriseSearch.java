package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * OpenAI: LLM-powered enterprise search. A company's own pages uploaded into its own vector store, searched with
 * an attribute filter, answered with citations to the uploaded file, and a deleted page gone from search at once.
 */
final class EnterpriseSearch implements Scenario {

    @Override
    public String name() {
        return "enterprise-search";
    }

    @Override
    public String question() {
        return "How would you design an LLM-powered enterprise search system?";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        Gateway gateway = context.gateway();
        report.step("Create a vector store for the company's handbook (tenant-private)");
        Gateway.Reply store = gateway.post("/v1/vector_stores", Map.of("name", context.unique("handbook")));
        String storeId = store.at("/id").asString();
        report.saw("vector store", storeId + ", chunking " + store.at("/chunking_strategy/type").asString());

        report.step("Upload two pages and add them with department attributes; wait for ingestion");
        Map<String, String> fileIds = new java.util.LinkedHashMap<>();
        for (String[] page : List.of(new String[] {"travel-policy.md", "finance"}, new String[] {"security-policy.md", "it"})) {
            Gateway.Reply file = gateway.upload("/v1/files", page[0], "text/markdown",
                    context.sample("enterprise/" + page[0]).getBytes(StandardCharsets.UTF_8), Map.of("purpose", "assistants"));
            String fileId = file.at("/id").asString();
            fileIds.put(page[0], fileId);
            gateway.post("/v1/vector_stores/" + storeId + "/files", Map.of("file_id", fileId,
                    "attributes", Map.of("department", page[1])));
            Gateway.Reply status = context.poll("/v1/vector_stores/" + storeId + "/files/" + fileId, "/status",
                    List.of("completed", "failed"), Duration.ofSeconds(60));
            report.saw(page[0], fileId + " " + status.at("/status").asString() + ", chunks "
                    + status.at("/progress/chunks_done").asInt() + "/" + status.at("/progress/chunks_total").asInt());
        }

        report.step("Search with a filter: only the finance department's pages");
        Gateway.Reply hits = gateway.post("/v1/vector_stores/" + storeId + "/search", Map.of("query", "hotel costs per night",
                "max_num_results", 3, "filters", Map.of("type", "eq", "key", "department", "value", "finance")));
        for (JsonNode hit : hits.at("/data")) {
            report.saw(String.format("%.4f", hit.path("score").asDouble()), hit.path("filename").asString() + " > "
                    + hit.path("heading").asString() + " (version " + hit.path("file_version").asInt() + ")");
        }
        report.fact("filteredHits", hits.at("/data").size());

        report.step("Ask the question against the store: the citation names the uploaded file");
        Gateway.Reply answer = context.chat(Map.of("model", "sim-small", "vector_store_ids", List.of(storeId),
                "messages", List.of(Map.of("role", "user", "content", "How much is the hotel allowance per night in capital cities?"))));
        int citations = Answers.show(answer, report);
        report.fact("citations", citations);

        report.step("Delete the travel page: verified gone from search, with an audit row and an event");
        Gateway.Reply deleted = gateway.delete("/v1/files/" + fileIds.get("travel-policy.md"));
        report.saw("DELETE /v1/files/" + fileIds.get("travel-policy.md"), deleted.status() + " " + ScenarioContext.brief(deleted.text(), 120));
        Gateway.Reply after = gateway.post("/v1/vector_stores/" + storeId + "/search", Map.of("query", "hotel costs per night", "max_num_results", 3));
        long travelHits = 0;
        for (JsonNode hit : after.at("/data")) {
            if (hit.path("filename").asString().equals("travel-policy.md")) {
                travelHits++;
            }
        }
        report.saw("hits from travel-policy.md after the delete", travelHits);
        report.fact("hitsAfterDelete", travelHits);

        report.lookAt("the vector store file's status and progress (stage, chunks_done): ingestion runs over Kafka, asynchronously");
        report.lookAt("filters on attributes, applied inside both search legs (retrieval/README.md, access filters)");
        report.lookAt("citations[*].chunkId = <store>/<file>#<n>: the answer points into the tenant's own file version");
        report.lookAt("retrieval.document-deleted.v1 in contracts/Topics and the deletion audit in retrieval/README.md");
        report.outOfReach("connectors to a company's real sources (SharePoint, Confluence, Drive) and their permission "
                + "sync: files are uploaded through the API here");
    }
}
