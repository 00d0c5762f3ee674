package dev.genaiplatform.retrieval.search;

import org.junit.jupiter.api.AfterAll;

/** The {@link ChunkIndexContract} on the embedded Lucene index (in memory). */
class LuceneChunkIndexContractTests extends ChunkIndexContract {

    private static final LuceneHybridVectorStore INDEX = new LuceneHybridVectorStore(MODEL, new HybridSearchSettings(50, 5, 60, 32));

    @Override
    ChunkIndex index() {
        return INDEX;
    }

    @AfterAll
    static void close() throws Exception {
        INDEX.close();
    }
}
