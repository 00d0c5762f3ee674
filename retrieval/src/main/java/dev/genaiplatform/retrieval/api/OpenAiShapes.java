package dev.genaiplatform.retrieval.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The JSON objects of OpenAI's Files and Vector Stores APIs, field for field, so the official SDKs read them.
 * Platform additions are extra fields an SDK ignores (search hits carry chunk id, heading, exact offsets,
 * version, title and as-of time for citations; store files carry ingestion progress).
 */
final class OpenAiShapes {

    private OpenAiShapes() {
    }

    record FileObject(String id, String object, long bytes, @JsonProperty("created_at") long createdAt, String filename,
                      String purpose, String status, @JsonProperty("expires_at") Long expiresAt,
                      @JsonProperty("status_details") String statusDetails,
                      @JsonProperty("access_groups") List<String> accessGroups) {
    }

    record FileCounts(@JsonProperty("in_progress") int inProgress, int completed, int failed, int cancelled, int total) {
    }

    record VectorStoreObject(String id, String object, @JsonProperty("created_at") long createdAt, String name,
                             @JsonProperty("usage_bytes") long usageBytes, @JsonProperty("file_counts") FileCounts fileCounts,
                             String status, @JsonProperty("expires_after") Object expiresAfter,
                             @JsonProperty("expires_at") Long expiresAt, @JsonProperty("last_active_at") long lastActiveAt,
                             Map<String, Object> metadata, @JsonProperty("chunking_strategy") Map<String, Object> chunkingStrategy) {
    }

    record LastError(String code, String message) {
    }

    /** Ingestion progress, a platform addition: the last finished step and chunk counts. */
    record Progress(String stage, @JsonProperty("chunks_done") int chunksDone, @JsonProperty("chunks_total") int chunksTotal) {
    }

    record VectorStoreFileObject(String id, String object, @JsonProperty("usage_bytes") long usageBytes,
                                 @JsonProperty("created_at") long createdAt, @JsonProperty("vector_store_id") String vectorStoreId,
                                 String status, @JsonProperty("last_error") LastError lastError,
                                 @JsonProperty("chunking_strategy") Map<String, Object> chunkingStrategy,
                                 Map<String, Object> attributes, int version, Progress progress) {
    }

    record FileBatchObject(String id, String object, @JsonProperty("created_at") long createdAt,
                           @JsonProperty("vector_store_id") String vectorStoreId, String status,
                           @JsonProperty("file_counts") FileCounts fileCounts) {
    }

    record Deleted(String id, String object, boolean deleted) {
    }

    record ListPage<T>(String object, List<T> data, @JsonProperty("first_id") String firstId,
                       @JsonProperty("last_id") String lastId, @JsonProperty("has_more") boolean hasMore) {
    }

    record TextContent(String type, String text) {
    }

    record SearchHit(@JsonProperty("file_id") String fileId, String filename, double score, Map<String, Object> attributes,
                     List<TextContent> content, @JsonProperty("chunk_id") String chunkId, String heading,
                     @JsonProperty("start_offset") int startOffset, @JsonProperty("end_offset") int endOffset,
                     @JsonProperty("file_version") Integer fileVersion, String title, @JsonProperty("as_of") String asOf) {
    }

    record SearchPage(String object, @JsonProperty("search_query") List<String> searchQuery, List<SearchHit> data,
                      @JsonProperty("has_more") boolean hasMore, @JsonProperty("next_page") String nextPage) {
    }
}
