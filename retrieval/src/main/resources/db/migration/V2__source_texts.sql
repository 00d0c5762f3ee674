-- The parsed text of each file version that has chunks in the index, so a citation can be opened at its exact span
-- (GET /api/retrieval/sources/{chunkId}, ADR 0005). For Markdown and text it equals the upload; for HTML and PDF it
-- is the extracted text the chunk offsets index into. One row per store file: the row goes when the file leaves the
-- store (removed, superseded by a newer version, file or store deleted), by the cascade, in the same transaction.
create table source_texts (
    vector_store_id text not null,
    file_id         text not null,
    tenant_id       text not null,
    version         int  not null,
    text            text not null,
    primary key (vector_store_id, file_id),
    foreign key (vector_store_id, file_id) references vector_store_files (vector_store_id, file_id) on delete cascade
);
