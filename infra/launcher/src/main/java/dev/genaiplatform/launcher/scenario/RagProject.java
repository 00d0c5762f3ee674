package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Apple: a RAG project you worked on. This platform is one: a question answered from docs/, each sentence cited
 * to a span of a chunk, the ranked passages behind it, and the prompt's token budget.
 */
final class RagProject implements Scenario {

    @Override
    public String name() {
        return "rag-project";
    }

    @Override
    public String question() {
        return "Walk through a retrieval-augmented generation project you built.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        String question = "How does retrieval rank passages?";
        report.step("The ranked passages retrieval finds for the question (hybrid BM25 + vectors, fused)");
        Gateway.Reply search = context.gateway().get("/api/retrieval/search?k=4&q="
                + URLEncoder.encode(question, StandardCharsets.UTF_8));
        for (JsonNode chunk : search.at("/chunks")) {
            report.saw(String.format("%.4f", chunk.path("score").asDouble()), chunk.path("documentPath").asString()
                    + " > " + chunk.path("heading").asString());
        }

        report.step("The grounded answer through the gateway: every sentence ends with the passage it came from");
        Gateway.Reply answer = context.ask("sim-small", question);
        int citations = Answers.show(answer, report);
        report.fact("citations", citations);
        JsonNode budget = answer.at("/platform/tokenBudget");
        if (!budget.isMissingNode()) {
            report.saw("platform.tokenBudget", "window " + budget.path("contextWindow").asInt() + ", retrieved context "
                    + budget.path("retrievedContext").asInt() + ", history " + budget.path("history").asInt()
                    + ", passages dropped " + budget.path("passagesDropped").asInt() + " (" + budget.path("strategy").asString() + ")");
        }

        report.step("Open the first citation at its source span (ADR 0005: GET /api/retrieval/sources/{chunkId})");
        JsonNode first = answer.at("/citations/0");
        if (first.isMissingNode()) {
            report.note("no citation to open");
        } else {
            Gateway.Reply source = context.gateway().get("/api/retrieval/sources/"
                    + URLEncoder.encode(first.path("chunkId").asString(), StandardCharsets.UTF_8));
            if (source.ok()) {
                String text = source.at("/text").asString("");
                int start = source.at("/startOffset").asInt();
                int end = Math.min(text.length(), source.at("/endOffset").asInt());
                report.saw("cited span", ScenarioContext.brief(text.substring(Math.min(start, end), end), 200));
                report.fact("sourceOpened", true);
            } else {
                report.notYet("the citation source endpoint (answered " + source.status() + "); the citation's "
                        + "documentPath, startOffset and endOffset point into docs/ meanwhile");
            }
        }

        report.lookAt("citations[*].documentPath/startOffset/endOffset: the span in docs/ each [n] came from");
        report.lookAt("platform.tokenBudget: how the prompt was split between system, passages and history");
        report.lookAt("retrieval/src/main/java/dev/genaiplatform/retrieval/search/LuceneHybridVectorStore.java: BM25 + kNN fused by RRF");
        report.lookAt("docs/walkthroughs/rag.md: the same request followed through the code, with measured numbers");
        report.outOfReach("a generative model that writes its own sentences: the simulator quotes the passages it is "
                + "given, so every answer is extractive and its citations are exact by construction");
    }
}
