package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.retrieval.ingest.DocumentCatalog;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.RecordingVectorStore;
import dev.genaiplatform.retrieval.search.SearchLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class RetrievalControllerTests {

    private final RecordingVectorStore store = new RecordingVectorStore();
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new RetrievalController(
                    new ChunkSearch(store, new SearchLimits(4, 20, 2000), new SimpleMeterRegistry()), new DocumentCatalog()))
            .setControllerAdvice(new ApiProblems()).build();

    @Test
    void searchesAndReturnsChunksWithProvenance() throws Exception {
        mvc.perform(get("/api/retrieval/search").param("q", "how does retrieval rank passages?").param("k", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.topK").value(2))
                .andExpect(jsonPath("$.chunks.length()").value(2))
                .andExpect(jsonPath("$.chunks[0].chunkId").value("a.md#0"))
                .andExpect(jsonPath("$.chunks[0].documentPath").value("a.md"))
                .andExpect(jsonPath("$.chunks[0].heading").value("A > B"))
                .andExpect(jsonPath("$.chunks[0].startOffset").value(3))
                .andExpect(jsonPath("$.chunks[0].endOffset").value(8))
                .andExpect(jsonPath("$.chunks[0].score").value(0.5))
                .andExpect(jsonPath("$.tookMillis").isNumber());
    }

    @Test
    void usesTheDefaultTopKWhenKIsMissing() throws Exception {
        mvc.perform(get("/api/retrieval/search").param("q", "anything")).andExpect(jsonPath("$.topK").value(4));
    }

    @Test
    void refusesABlankQueryAsAPlatformProblem() throws Exception {
        mvc.perform(get("/api/retrieval/search").param("q", "   "))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:genai-platform:problem:invalid-search"))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").value(containsString("'q'")))
                .andExpect(jsonPath("$.instance").value("/api/retrieval/search"))
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                .andExpect(jsonPath("$.error.code").value("invalid-search"));
    }

    @Test
    void refusesAMissingQueryOrAnOutOfRangeK() throws Exception {
        mvc.perform(get("/api/retrieval/search"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.error.message").value(containsString("q")));
        mvc.perform(get("/api/retrieval/search").param("q", "x").param("k", "0"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value(containsString("between 1 and 20")));
        mvc.perform(get("/api/retrieval/search").param("q", "x").param("k", "21")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/retrieval/search").param("q", "x").param("k", "many"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void listsNoDocumentsBeforeIngestion() throws Exception {
        mvc.perform(get("/api/retrieval/documents"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.documents.length()").value(0))
                .andExpect(jsonPath("$.chunks").value(0));
    }
}
