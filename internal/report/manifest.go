package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/go-pdf/fpdf"
	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/outpost"
)

// ManifestHeader is the header row of a manifest CSV.
// The columns after medical are additions to INTERFACES.md: the exit
// documents and the medical level in words.
var ManifestHeader = []string{"household", "person", "family_name", "given_name", "nationality", "birth_date", "passport", "medical",
	"sex", "passport_expiry", "permit_number", "medical_needs"}

// MedicalNeeds says a medical level (0 to 3) in words, as the manifest's
// medical_needs column gives it.
func MedicalNeeds(level int) string {
	return [...]string{"none", "chronic needs", "needs care not available locally", "urgent medical evacuation"}[min(max(level, 0), 3)]
}

// ManifestCSV writes the manifest as CSV: a header row, then exactly one
// row per passenger, in the order given (by household). A withheld
// passenger's row has only the household and the person's id. A cell a
// spreadsheet would run as a formula starts with a single quote.
func ManifestCSV(w io.Writer, m outpost.Manifest) error {
	cw := export.NewCSV(w)
	if err := cw.Write(ManifestHeader); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	for _, p := range m.Passengers {
		if err := cw.Write(ManifestRow(p)); err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return nil
}

// ManifestRow is a passenger's row of a manifest CSV, in the columns of
// ManifestHeader: the per-mission manifest and the joint one of a shared
// convoy write the same rows.
func ManifestRow(p outpost.Passenger) []string {
	med, words := strconv.Itoa(p.Medical), MedicalNeeds(p.Medical)
	if p.Withheld {
		med, words = "", ""
	}
	return []string{p.Household, p.ID, p.FamilyName, p.GivenName, p.Nationality, p.BirthDate, p.Passport, med,
		p.Sex, p.PassportExpiry, p.PermitNumber, words}
}

// ManifestPDF writes the manifest as a printable A4 PDF grouped by
// household, with medical needs flagged and lines for the officers'
// signatures.
func ManifestPDF(w io.Writer, m outpost.Manifest) error {
	pdf, tr := manifestFirstPage(m, "Manifest", "Passenger manifest")
	manifestPassengers(pdf, tr, m)
	signatureLines(pdf, tr)
	return pdf.Output(w)
}

// manifestFirstPage starts an A4 manifest document named kind (its title
// and page footer) and writes its first page down to the summary: the
// heading, the departure and manifestSummary's lines.
func manifestFirstPage(m outpost.Manifest, kind, heading string) (*fpdf.Fpdf, func(string) string) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle(kind+" "+m.Departure, true)
	pdf.SetCreator("Outpost", true)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 20)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-13)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("%s %s, plan %d: page %d of {nb}", kind, m.Departure, m.Plan, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AliasNbPages("{nb}")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 18)
	pdf.CellFormat(0, 9, tr(heading), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 7, tr(m.Departure), "", 1, "L", false, 0, "")
	manifestSummary(pdf, tr, m)
	return pdf, tr
}

// manifestSummary writes the lines under the title: the route, the time,
// the count of passengers and households, the crossing and the urgent
// cases.
func manifestSummary(pdf *fpdf.Fpdf, tr func(string) string, m outpost.Manifest) {
	pdf.SetFont("Helvetica", "", 10)
	households := map[string]bool{}
	urgent := 0
	for _, p := range m.Passengers {
		households[p.Household] = true
		if p.Medical == 3 {
			urgent++
		}
	}
	lines := []string{
		"Route: " + m.Route,
		"Departs: " + m.Departs.Format("Monday 2 January 2006, 15:04 MST"),
		fmt.Sprintf("Passengers: %d in %d households, %d seats", len(m.Passengers), len(households), m.Seats),
	}
	if m.Crossing != "" {
		lines = append(lines, "Border crossing: "+m.Crossing)
	}
	if urgent > 0 {
		lines = append(lines, fmt.Sprintf("Urgent medical evacuations: %d", urgent))
	}
	for _, l := range lines {
		pdf.CellFormat(0, 5.5, tr(l), "", 1, "L", false, 0, "")
	}
}

// manifestPassengers writes the table of passengers, household by
// household, repeating its header on each new page; a passenger of another
// mission is shown without their name, and a medical need gets a line of
// its own.
func manifestPassengers(pdf *fpdf.Fpdf, tr func(string) string, m outpost.Manifest) {
	pdf.Ln(4)
	widths := []float64{7, 22, 44, 8, 9, 19, 22, 19, 30}
	head := []string{"#", "ID", "Name", "Sex", "Nat.", "Born", "Passport", "Expires", "Exit permit"}
	header := func() {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetFillColor(230, 233, 238)
		for i, h := range head {
			pdf.CellFormat(widths[i], 7, tr(h), "B", 0, "L", true, 0, "")
		}
		pdf.Ln(-1)
	}
	header()
	n := 0
	current := ""
	for _, p := range m.Passengers {
		if pdf.GetY() > 265 {
			pdf.AddPage()
			header()
		}
		if p.Household != current {
			current = p.Household
			pdf.SetFont("Helvetica", "B", 9)
			pdf.SetFillColor(246, 247, 249)
			pdf.CellFormat(0, 6.5, tr("Household "+p.Household), "", 1, "L", true, 0, "")
		}
		n++
		pdf.SetFont("Helvetica", "", 9)
		cells := []string{strconv.Itoa(n), p.ID, p.FamilyName + ", " + p.GivenName, p.Sex, p.Nationality, p.BirthDate,
			p.Passport, p.PassportExpiry, p.PermitNumber}
		if p.Withheld {
			cells[2] = "passenger of another mission"
			pdf.SetFont("Helvetica", "I", 9)
			pdf.SetTextColor(110, 110, 110)
		}
		for i, c := range cells {
			pdf.CellFormat(widths[i], 6, tr(c), "", 0, "L", false, 0, "")
			if !p.Withheld {
				pdf.SetTextColor(0, 0, 0)
			}
		}
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(-1)
		if p.Medical > 0 {
			pdf.SetFont("Helvetica", "I", 8)
			pdf.SetTextColor(110, 30, 30)
			pdf.CellFormat(10, 4.5, "", "", 0, "L", false, 0, "")
			if p.Medical == 3 {
				pdf.SetFont("Helvetica", "B", 8)
				pdf.SetTextColor(170, 20, 20)
			}
			pdf.CellFormat(0, 4.5, tr("Medical: "+MedicalNeeds(p.Medical)), "", 1, "L", false, 0, "")
			pdf.SetTextColor(0, 0, 0)
		}
	}
}

// signatureLines writes the lines the mission and border officers sign,
// on a new page when too little is left of this one.
func signatureLines(pdf *fpdf.Fpdf, tr func(string) string) {
	pdf.Ln(10)
	if pdf.GetY() > 250 {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "", 9)
	for _, who := range []string{"Mission officer", "Border officer"} {
		pdf.CellFormat(85, 6, tr(who+": name, signature, date"), "T", 0, "L", false, 0, "")
		pdf.CellFormat(5, 6, "", "", 0, "L", false, 0, "")
	}
	pdf.Ln(-1)
}
