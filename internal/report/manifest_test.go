package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/testkit"
)

// manifestFixture has one passenger of each medical level, exit
// documents recorded for some, and one passenger of another mission.
func manifestFixture() outpost.Manifest {
	return outpost.Manifest{Plan: 7, Departure: "TRAIN-0225", Route: "Pyongyang - Tumangang (rail) - Khasan",
		Departs: time.Date(2021, 2, 25, 8, 0, 0, 0, time.FixedZone("KST", 9*3600)), Seats: 40, Crossing: "TUMEN-BRIDGE",
		Passengers: []outpost.Passenger{
			{Household: "RU-H01", ID: "RU-0001", FamilyName: "Matsegora", GivenName: "Alexander", Nationality: "RU",
				BirthDate: "1955-07-12", Passport: "P7100001", Medical: 1, Mission: "RU",
				Sex: "M", PassportExpiry: "2024-05-31", PermitNumber: "KP-EX-2021-0142"},
			{Household: "RU-H01", ID: "RU-0002", FamilyName: "Matsegora", GivenName: "Irina", Nationality: "RU",
				BirthDate: "1958-02-03", Passport: "P7100002", Medical: 0, Mission: "RU", Sex: "F"},
			{Household: "RU-H02", ID: "RU-0003", FamilyName: "Orlov", GivenName: "Pavel", Nationality: "RU",
				BirthDate: "1980-10-10", Medical: 2, Mission: "RU", Sex: "X", PermitNumber: "KP-EX-2021-0150"},
			{Household: "RU-H03", ID: "RU-0004", FamilyName: "Petrova", GivenName: "Anna", Nationality: "RU",
				Medical: 3, Mission: "RU"},
			{Household: "SE-H01", ID: "SE-0001", Mission: "SE", Withheld: true},
		}}
}

// TestManifestCSVGolden: the contract's eight columns first, unchanged,
// then sex, passport expiry, permit number and the medical level in words.
func TestManifestCSVGolden(t *testing.T) {
	var b bytes.Buffer
	if err := ManifestCSV(&b, manifestFixture()); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "manifest_csv", b.String())
}

// TestManifestPDFGolden compares the PDF's text as pdftotext reads it.
func TestManifestPDFGolden(t *testing.T) {
	var b bytes.Buffer
	if err := ManifestPDF(&b, manifestFixture()); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "manifest_pdf_text", pdfText(t, b.Bytes()))
}
