package store

import (
	"bytes"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// TestMigrationCleansStoredPhotos checks that photos stored before photos
// were cleaned lose their metadata when the database is migrated, and
// that one that cannot be read whole is removed rather than kept.
func TestMigrationCleansStoredPhotos(t *testing.T) {
	for name, open := range engines() {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := storetest.Ctx()
			storetest.Seed(t, db)
			st, err := db.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Old", Body: "Body."})
			if err != nil {
				t.Fatal(err)
			}
			gps := storetest.JPEGWithMetadata(12, 8, 6)
			cut := gps[:300]
			// As an older version stored them: the bytes as uploaded.
			err = db.update(ctx, func(t *tx) error {
				for _, data := range [][]byte{gps, cut} {
					if _, err := t.exec(ctx, `INSERT INTO statement_photos (statement_id, name, caption, content_type, size, width, height, added, data)
						VALUES (?, 'IMG_0001.jpg', '', 'image/jpeg', ?, 12, 8, 0, ?)`, st.ID, len(data), data); err != nil {
						return err
					}
				}
				_, err := t.exec(ctx, `DELETE FROM schema_version WHERE version = 9`)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := db.Statement(ctx, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Photos) != 1 {
				t.Fatalf("got %d photos, want 1 (the one cut short removed)", len(got.Photos))
			}
			p, err := db.Photo(ctx, st.ID, got.Photos[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if m := storetest.JPEGMetadata(p.Data); len(m) > 0 || bytes.Contains(p.Data, []byte(storetest.MetadataText)) {
				t.Errorf("the migrated photo keeps metadata segments % X", m)
			}
			if p.Width != 8 || p.Height != 12 || p.Size != len(p.Data) || p.Type != "image/jpeg" {
				t.Errorf("got %+v, want an 8×12 JPEG of %d bytes", p.PhotoInfo, len(p.Data))
			}
			audit, err := db.Audit(ctx, outpost.AuditFilter{Entity: "statement", Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(audit) == 0 || audit[0].Action != "detach" || audit[0].Actor != "migration" {
				t.Errorf("audit: got %+v, want the removal first", audit)
			}
		})
	}
}
