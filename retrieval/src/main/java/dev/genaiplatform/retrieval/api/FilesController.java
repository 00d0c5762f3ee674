package dev.genaiplatform.retrieval.api;

import static dev.genaiplatform.retrieval.catalog.ContentHash.sha256;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.retrieval.RetrievalProperties;
import dev.genaiplatform.retrieval.catalog.FileCatalog;
import dev.genaiplatform.retrieval.catalog.StoredFile;
import dev.genaiplatform.retrieval.ingest.DocumentParser;
import dev.genaiplatform.retrieval.ingest.DocumentRemoval;
import dev.genaiplatform.retrieval.security.Caller;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OpenAI's Files API for the caller's tenant: upload (multipart, {@code file} + {@code purpose}), list, get, content,
 * delete. The platform adds an optional {@code access_groups} form field (comma separated): only callers whose token
 * names one of those groups will find the file's chunks. Uploading the same bytes with the same name, purpose and
 * groups again returns the existing file. Files with purpose {@code batch} are OpenAI Batch API input: {@code .jsonl}
 * only, stored as uploaded, served back unchanged by {@code /content} and never added to a vector store.
 */
@RestController
@RequestMapping("/v1/files")
class FilesController {

    private static final Set<String> PURPOSES = Set.of("assistants", "user_data", "batch", "fine-tune", "vision", "evals");
    private static final int MAX_GROUPS = 32;
    static final String BATCH_PURPOSE = "batch";
    private static final MediaType JSON_LINES = MediaType.parseMediaType("application/jsonl");

    private final FileCatalog files;
    private final DocumentRemoval removal;
    private final RetrievalProperties properties;
    private final Clock clock;

    FilesController(FileCatalog files, DocumentRemoval removal, RetrievalProperties properties, Clock clock) {
        this.files = files;
        this.removal = removal;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    OpenAiShapes.FileObject upload(@RequestPart("file") MultipartFile file, @RequestParam("purpose") String purpose,
                                   @RequestParam(name = "access_groups", required = false) String accessGroups) throws IOException {
        Caller caller = Caller.current();
        if (!PURPOSES.contains(purpose)) {
            throw new ApiException(ProblemType.INVALID_VALUE, "Unknown purpose '" + purpose + "': use one of " + PURPOSES, "purpose");
        }
        String filename = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().strip();
        if (filename.isEmpty() || filename.length() > 255) {
            throw new ApiException(ProblemType.INVALID_VALUE, "The file part needs a file name of 1 to 255 characters", "file");
        }
        if (file.isEmpty()) {
            throw new ApiException(ProblemType.EMPTY_FILE, "The uploaded file '" + filename + "' is empty", "file");
        }
        if (file.getSize() > properties.maxFileBytes()) {
            throw new ApiException(ProblemType.REQUEST_TOO_LARGE, "The file is " + file.getSize()
                    + " bytes; the limit is " + properties.maxFileBytes(), "file");
        }
        checkType(filename, purpose);
        byte[] bytes = file.getBytes();
        StoredFile candidate = new StoredFile("file-" + Ids.random(), caller.tenant(), filename, purpose, bytes.length,
                sha256(bytes), groups(accessGroups), clock.instant());
        return toObject(files.insertOrGet(candidate, bytes, caller.keyId()));
    }

    /**
     * Batch API input ({@code purpose=batch}) is a {@code .jsonl} file kept byte for byte for the orchestrator's batch
     * lane, never parsed nor indexed here; every other purpose is a document and must be a type the parser reads.
     */
    private static void checkType(String filename, String purpose) {
        boolean jsonLines = isJsonLines(filename);
        if (BATCH_PURPOSE.equals(purpose) && !jsonLines) {
            throw new ApiException(ProblemType.UNSUPPORTED_FILE_TYPE, "'" + filename
                    + "' is not a .jsonl file: Batch API input (purpose 'batch') must be JSON Lines", "file");
        }
        if (!BATCH_PURPOSE.equals(purpose) && !DocumentParser.supports(filename)) {
            throw new ApiException(ProblemType.UNSUPPORTED_FILE_TYPE, "'" + filename
                    + "' is not a supported type: upload .md, .markdown, .txt, .html, .htm or .pdf"
                    + (jsonLines ? " (.jsonl only with purpose 'batch')" : ""), "file");
        }
    }

    static boolean isJsonLines(String filename) {
        return filename.toLowerCase(Locale.ROOT).endsWith(".jsonl");
    }

    @GetMapping
    OpenAiShapes.ListPage<OpenAiShapes.FileObject> list(@RequestParam(required = false) String purpose,
                                                        @RequestParam(required = false) Integer limit,
                                                        @RequestParam(required = false) String order,
                                                        @RequestParam(required = false) String after) {
        return Pages.page(files.list(Caller.current().tenant(), purpose).stream().map(FilesController::toObject).toList(),
                OpenAiShapes.FileObject::id, limit, order, after, 10_000);
    }

    @GetMapping("/{fileId}")
    OpenAiShapes.FileObject get(@PathVariable String fileId) {
        return toObject(find(fileId));
    }

    @GetMapping("/{fileId}/content")
    ResponseEntity<byte[]> content(@PathVariable String fileId) {
        StoredFile file = find(fileId);
        MediaType type = isJsonLines(file.filename()) ? JSON_LINES
                : MediaTypeFactory.getMediaType(file.filename()).orElse(MediaType.APPLICATION_OCTET_STREAM);
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(file.filename(), StandardCharsets.UTF_8).build().toString())
                .body(files.content(file.tenantId(), file.id()));
    }

    @DeleteMapping("/{fileId}")
    OpenAiShapes.Deleted delete(@PathVariable String fileId) {
        if (!removal.deleteFile(Caller.current(), fileId)) {
            throw ApiException.notFound("file", fileId);
        }
        return new OpenAiShapes.Deleted(fileId, "file", true);
    }

    private StoredFile find(String fileId) {
        return files.find(Caller.current().tenant(), fileId).orElseThrow(() -> ApiException.notFound("file", fileId));
    }

    static OpenAiShapes.FileObject toObject(StoredFile file) {
        return new OpenAiShapes.FileObject(file.id(), "file", file.bytes(), file.createdAt().getEpochSecond(), file.filename(),
                file.purpose(), "processed", null, null, file.accessGroups());
    }

    private static List<String> groups(String accessGroups) {
        if (accessGroups == null || accessGroups.isBlank()) {
            return List.of();
        }
        List<String> groups = Arrays.stream(accessGroups.split(",")).map(String::strip).filter(g -> !g.isEmpty()).distinct().toList();
        if (groups.size() > MAX_GROUPS || groups.stream().anyMatch(g -> g.length() > 64 || g.equals("*"))) {
            throw new ApiException(ProblemType.INVALID_VALUE, "access_groups takes up to " + MAX_GROUPS
                    + " comma-separated names of at most 64 characters (not '*')", "access_groups");
        }
        return groups;
    }
}
