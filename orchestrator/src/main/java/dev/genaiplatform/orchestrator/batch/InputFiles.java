package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.chat.ChatCompletionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * Reads a batch's input file from retrieval, which owns {@code /v1/files}: the file's object (its purpose must be
 * {@code batch}), then its bytes. The caller's own internal token goes along, so retrieval applies its own rules
 * (the tenant's file, a key with scope {@code documents}); this service never reads another tenant's files.
 */
class InputFiles {

    private final RestClient http;
    private final long maxBytes;

    InputFiles(RestClient.Builder http, BatchSettings settings) {
        this.http = http.baseUrl(settings.filesUrl()).build();
        this.maxBytes = settings.maxInputBytes();
    }

    /** The file's bytes; a 4xx problem when it is unknown, not a batch file, or too large. */
    byte[] read(String fileId, String token) {
        JsonNode file = get("/v1/files/{id}", fileId, token, JsonNode.class);
        String purpose = file == null ? null : file.path("purpose").asString(null);
        if (!"batch".equals(purpose)) {
            throw new ChatCompletionException(ProblemType.INVALID_VALUE,
                    "File '" + fileId + "' has purpose '" + purpose + "'; a batch needs a file uploaded with purpose 'batch'.",
                    "input_file_id", null, null);
        }
        if (file.path("bytes").asLong(0) > this.maxBytes) {
            throw tooLarge(fileId);
        }
        byte[] content = get("/v1/files/{id}/content", fileId, token, byte[].class);
        if (content == null || content.length == 0) {
            throw new ChatCompletionException(ProblemType.EMPTY_FILE, "File '" + fileId + "' is empty.",
                    "input_file_id", null, null);
        }
        if (content.length > this.maxBytes) {
            throw tooLarge(fileId);
        }
        return content;
    }

    private <T> T get(String path, String fileId, String token, Class<T> type) {
        try {
            return this.http.get().uri(path, fileId).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .retrieve().body(type);
        }
        catch (RestClientResponseException refused) {
            HttpStatusCode status = refused.getStatusCode();
            if (status.value() == 404) {
                throw new ChatCompletionException(ProblemType.NOT_FOUND, "No file '" + fileId + "'.", "input_file_id",
                        null, refused);
            }
            if (status.value() == 403) {
                throw new ChatCompletionException(ProblemType.INSUFFICIENT_SCOPE,
                        "Reading the input file needs an API key with scope 'documents' too.", "input_file_id", null,
                        refused);
            }
            throw unavailable(refused);
        }
        catch (RestClientException unreachable) {
            throw unavailable(unreachable);
        }
    }

    private ChatCompletionException tooLarge(String fileId) {
        return new ChatCompletionException(ProblemType.INVALID_VALUE,
                "File '" + fileId + "' is larger than the " + this.maxBytes + " bytes a batch may read.",
                "input_file_id", null, null);
    }

    private static ChatCompletionException unavailable(Exception cause) {
        return new ChatCompletionException(ProblemType.DEPENDENCY_UNAVAILABLE,
                "The files service (retrieval) could not be read; try again.", null, Duration.ofSeconds(5), cause);
    }
}
