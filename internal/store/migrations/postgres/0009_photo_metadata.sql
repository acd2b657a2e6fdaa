-- Photos are written again from their pixels alone when they are
-- attached, so that no EXIF (GPS position), XMP or comment is ever
-- published. The photos attached before are cleaned by the Go step of
-- this migration (cleanStoredPhotos), in the same transaction; the
-- table keeps its shape. The type of a cleaned WebP is now JPEG or PNG.
UPDATE statement_photos SET content_type = content_type WHERE id < 0;
