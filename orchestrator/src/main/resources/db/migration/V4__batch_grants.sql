-- The batch grant (ADR 0004, wave 5): a token the gateway mints for the request that creates a batch (claim
-- grant = batch, scope chat, same tenant/key/user/groups/models, alive for the completion window). Kept with the batch
-- so its lines run while nobody polls; it goes out in platform-auth of every line's record and every call a line makes.
-- A credential at rest: it can do only what the creating request could (chat, for this tenant and key) and only
-- until the window closes; it is erased when the batch ends or its key is revoked.
alter table batches add column grant_token text;
