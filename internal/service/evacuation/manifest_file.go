package evacuation

import (
	"bytes"
	"fmt"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/report"
)

// ManifestFile is a manifest written as a file to download.
type ManifestFile struct {
	// Name is the file's name, "manifest-7-TRAIN-0225.csv".
	Name string
	// ContentType is its media type.
	ContentType string
	Body        bytes.Buffer
}

// NewManifestFile writes m in format "csv" (also "") or "pdf"; any other
// format is EINVALID.
func NewManifestFile(m outpost.Manifest, format string) (*ManifestFile, error) {
	f := &ManifestFile{ContentType: "text/csv; charset=utf-8"}
	switch format {
	case "", "csv":
		format = "csv"
		if err := report.ManifestCSV(&f.Body, m); err != nil {
			return nil, fmt.Errorf("manifest csv: %w", err)
		}
	case "pdf":
		f.ContentType = "application/pdf"
		if err := report.ManifestPDF(&f.Body, m); err != nil {
			return nil, fmt.Errorf("manifest pdf: %w", err)
		}
	default:
		return nil, outpost.Errorf(outpost.EINVALID, "format %q: want csv or pdf", format)
	}
	f.Name = fmt.Sprintf("manifest-%d-%s.%s", m.Plan, m.Departure, format)
	return f, nil
}
