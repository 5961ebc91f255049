-- A checkpoint's manifest (format magicdistill-checkpoint/2) carries a CRC-32C of its tensor file
-- instead of a sha256 (docs/STORAGE.md): the column now holds the checksum with its algorithm,
-- crc32c:<8 hex> or, for checkpoints written before, sha256:<64 hex>.

alter table checkpoints rename column sha256 to checksum;
update checkpoints set checksum = 'sha256:' || checksum;
alter table checkpoints add constraint checkpoints_checksum_check
    check (checksum ~ '^(crc32c:[0-9a-f]{8}|sha256:[0-9a-f]{64})$');
