package importer

import "github.com/outpost-org/outpost/internal/outpost"

// Has reports whether the file has the column.
func (r *Row) Has(col string) bool {
	_, ok := r.idx[col]
	return ok
}

// exitDocs reads the optional exit-document columns of a people row: nil
// when the file has none of them, so that re-importing a file without
// them leaves the documents recorded since as they are. A file with all
// of them sets every field for each of its rows (an empty cell clears);
// a file with some of them sets those, and cols names them (nil when the
// file has all), the others kept as recorded.
func exitDocs(r *Row) (d *outpost.ExitDocuments, cols []string) {
	n := 0
	for _, c := range outpost.ExitDocColumns {
		if r.Has(c) {
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	if n < len(outpost.ExitDocColumns) {
		cols = make([]string, 0, n)
		for _, c := range outpost.ExitDocColumns {
			if r.Has(c) {
				cols = append(cols, c)
			}
		}
	}
	return &outpost.ExitDocuments{
		Sex:             r.Str("sex"),
		PassportExpiry:  r.Date("passport_expiry"),
		PermitStatus:    r.Str("permit_status"),
		PermitNumber:    r.Str("permit_number"),
		PermitFrom:      r.Date("permit_from"),
		PermitTo:        r.Date("permit_to"),
		PermitAuthority: r.Str("permit_authority"),
		QuarantineUntil: r.Date("quarantine_until"),
		Staying:         r.Bool("staying"),
	}, cols
}
