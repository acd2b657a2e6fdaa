package importer

import "github.com/outpost-org/outpost/internal/outpost"

// Has reports whether the file has the column.
func (r *Row) Has(col string) bool {
	_, ok := r.idx[col]
	return ok
}

// exitDocs reads the optional exit-document columns of a people row: nil
// when the file has none of them, so that re-importing a file without
// them leaves the documents recorded since as they are. A file with the
// columns sets every one of them for each of its rows (empty clears).
func exitDocs(r *Row) *outpost.ExitDocuments {
	has := false
	for _, c := range outpost.ExitDocColumns {
		has = has || r.Has(c)
	}
	if !has {
		return nil
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
	}
}
