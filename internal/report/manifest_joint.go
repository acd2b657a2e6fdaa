package report

import (
	"fmt"
	"io"

	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/outpost"
)

// JointManifestHeader is the header row of a joint manifest CSV: the
// mission, then the columns of a mission's manifest.
func JointManifestHeader() []string { return append([]string{"mission"}, ManifestHeader...) }

// JointManifestCSV writes the manifest of a shared convoy as CSV: a
// header row, then one row per passenger listed, in the order given (by
// mission, then household), each a mission's manifest row after its
// mission's code.
func JointManifestCSV(w io.Writer, m outpost.Manifest) error {
	cw := export.NewCSV(w)
	if err := cw.Write(JointManifestHeader()); err != nil {
		return fmt.Errorf("joint manifest: %w", err)
	}
	for _, p := range m.Passengers {
		if err := cw.Write(append([]string{p.Mission}, ManifestRow(p)...)); err != nil {
			return fmt.Errorf("joint manifest: %w", err)
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("joint manifest: %w", err)
	}
	return nil
}

// JointManifestPDF writes the manifest of a shared convoy as a printable
// A4 PDF: the departure's lines, then each mission's passengers under its
// own heading, grouped by household as in a mission's manifest; notes are
// printed under the summary ("3 passengers of other missions are not
// listed").
func JointManifestPDF(w io.Writer, m outpost.Manifest, notes []string) error {
	pdf, tr := manifestFirstPage(m, "Joint manifest", "Joint passenger manifest")
	pdf.SetFont("Helvetica", "I", 9)
	for _, n := range notes {
		pdf.CellFormat(0, 5.5, tr(n), "", 1, "L", false, 0, "")
	}
	for _, part := range byMission(m) {
		pdf.Ln(4)
		if pdf.GetY() > 250 {
			pdf.AddPage()
		}
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 7, tr(fmt.Sprintf("Mission %s: %d %s", part.Passengers[0].Mission, len(part.Passengers), outpost.Plural(len(part.Passengers), "passenger", "passengers"))), "", 1, "L", false, 0, "")
		manifestPassengers(pdf, tr, part)
	}
	signatureLines(pdf, tr)
	return pdf.Output(w)
}

// byMission cuts a manifest ordered by mission into one per mission.
func byMission(m outpost.Manifest) []outpost.Manifest {
	var out []outpost.Manifest
	for i, p := range m.Passengers {
		if i == 0 || p.Mission != m.Passengers[i-1].Mission {
			part := m
			part.Passengers = nil
			out = append(out, part)
		}
		last := &out[len(out)-1]
		last.Passengers = append(last.Passengers, p)
	}
	return out
}
