package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * OpenAI's Batch API ({@code /v1/batches}) and the two files a batch produces ({@code /v1/files/file-batch-...}; every
 * other file belongs to retrieval, the gateway routes by id). Scope {@code chat}; the caller is the gateway's token.
 * Methods return plain values, so WebFlux runs them on virtual threads and they may block on the database.
 */
@RestController
class BatchApi {

    private final Batches batches;

    BatchApi(Batches batches) {
        this.batches = batches;
    }

    @PostMapping("/v1/batches")
    Map<String, Object> create(@AuthenticationPrincipal Jwt token, @RequestBody Batches.CreateBatch request,
                               @RequestHeader(name = PlatformHttpHeaders.BATCH_GRANT, required = false) String grant) {
        return this.batches.create(request, token, grant);
    }

    @GetMapping("/v1/batches/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return this.batches.get(id, token);
    }

    @GetMapping("/v1/batches")
    Map<String, Object> list(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) String after,
                             @RequestParam(required = false) Integer limit) {
        return this.batches.list(after, limit, token);
    }

    @PostMapping("/v1/batches/{id}/cancel")
    Map<String, Object> cancel(@AuthenticationPrincipal Jwt token, @PathVariable String id) {
        return this.batches.cancel(id, token);
    }

    @GetMapping("/v1/files/{fileId}")
    Map<String, Object> file(@AuthenticationPrincipal Jwt token, @PathVariable String fileId) {
        return this.batches.file(fileId, token);
    }

    @GetMapping("/v1/files/{fileId}/content")
    ResponseEntity<String> content(@AuthenticationPrincipal Jwt token, @PathVariable String fileId) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/jsonl"))
                .body(this.batches.content(fileId, token));
    }
}
