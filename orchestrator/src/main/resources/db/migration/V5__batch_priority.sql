-- Priority classes for the batch lane (wave 6): a batch created with metadata.priority = "bulk" runs only while no
-- line of an ordinary ("batch") batch waits, and is shed first at admission. Older batches are ordinary ones.
alter table batches add column priority text not null default 'batch';

-- "is any batch line waiting?" is asked often (the bulk lane's gate): queued lines by batch
create index batch_lines_queued_by_batch on batch_lines (batch_id) where status = 'queued';
