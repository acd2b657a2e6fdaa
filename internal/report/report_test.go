package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/testkit"
)

// missionInput is the report of one mission, which may list its cases.
func missionInput() Input {
	in := sampleInput()
	in.Mission = &Mission{Code: "RU", Name: "Embassy of the Russian Federation", Status: "open"}
	in.Census.MissionsByStatus, in.Census.ByMission, in.Census.ByCategory = nil, nil, nil
	in.Medical.ByMission = nil
	in.Supply.Vacant = nil
	return in
}

var reports = []struct {
	name string
	in   func() Input
}{
	{"corps", sampleInput},
	{"mission", missionInput},
	{"empty", emptyInput},
}

// svgElement matches an inline chart, which the golden files leave out:
// its coordinates are checked by TestChartsAreValidSVG instead, and would
// make the golden files unreadable.
var svgElement = regexp.MustCompile(`(?s)<svg .*?</svg>`)

func TestGoldenMarkdown(t *testing.T) {
	for _, r := range reports {
		t.Run(r.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Markdown(&b, r.in()); err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, r.name+".md", b.Bytes())
		})
	}
}

func TestGoldenHTML(t *testing.T) {
	for _, r := range reports {
		t.Run(r.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := HTML(&b, r.in()); err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, r.name+".html", svgElement.ReplaceAll(b.Bytes(), []byte(`<svg><!-- chart --></svg>`)))
		})
	}
}

func TestMissingSectionsSaySo(t *testing.T) {
	var md, page bytes.Buffer
	if err := Markdown(&md, emptyInput()); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&page, emptyInput()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"No people recorded yet.", "No departures recorded yet.", "No stock recorded yet.",
		"No roll calls recorded yet.", "No medical cases recorded yet.", "No restrictions recorded yet.", "No statements recorded yet."} {
		for name, out := range map[string]string{"markdown": md.String(), "html": page.String()} {
			if !strings.Contains(out, want) {
				t.Errorf("%s of an empty database: got no %q", name, want)
			}
		}
	}
	if strings.Contains(page.String(), "<svg") {
		t.Errorf("html of an empty database: got a chart, want none")
	}
}

func TestEmptySectionsSayWhy(t *testing.T) {
	in := sampleInput()
	in.Departures.Rows, in.RollCalls.Rows, in.Restrictions.Rows, in.Statements.Rows = nil, nil, nil, nil
	in.Medical = &Medical{}
	for i := range in.Supply.Rows {
		in.Supply.Rows[i].Shortage, in.Supply.Rows[i].NearExpiry30, in.Supply.Rows[i].NearExpiry90 = false, 0, 0
	}
	var b bytes.Buffer
	if err := Markdown(&b, in); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"No departure in the last 7 days.", "No departure planned in the next 7 days.",
		"No shortage: every item in use lasts 14 days or more.", "Nothing on hand expires within 90 days.",
		"No roll call open, or started in the last 7 days.", "No open medical cases.", "No restriction in force.",
		"No statement published in the last 7 days."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("got no %q in:\n%s", want, b.String())
		}
	}
}

func TestCorpsReportGivesMedicalCountsOnly(t *testing.T) {
	for _, r := range reports[:2] {
		in := r.in()
		var md, page bytes.Buffer
		if err := Markdown(&md, in); err != nil {
			t.Fatal(err)
		}
		if err := HTML(&page, in); err != nil {
			t.Fatal(err)
		}
		text := md.String() + page.String()
		if in.Mission == nil && (strings.Contains(text, "Secret Name") || strings.Contains(text, "dialysis")) {
			t.Errorf("%s: got a medical case's name or need in a corps report, want counts only", r.name)
		}
		if in.Mission != nil && !strings.Contains(text, "Secret Name (RU-0009)") {
			t.Errorf("%s: got no case list in a mission report", r.name)
		}
	}
}

func TestChartsAreValidSVG(t *testing.T) {
	in := sampleInput()
	in.Supply.Rows[0].Name = `<script>alert("flour")</script>`
	d := build(in)
	for _, name := range []string{"headcount", "supply"} {
		c, ok := d.Charts[name]
		if !ok {
			t.Fatalf("no %s chart", name)
		}
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(svg, []byte(`<svg role="img" aria-label="`)) || !bytes.HasSuffix(svg, []byte("</svg>")) {
			t.Errorf("%s: got %.80q…, want one <svg> element with an accessible label", name, svg)
		}
		if bytes.Contains(svg, []byte("<script")) {
			t.Errorf("%s: got an unescaped <script in the SVG", name)
		}
		dec := xml.NewDecoder(bytes.NewReader(svg))
		texts := 0
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed XML: %v", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "text" {
				texts++
			}
		}
		if texts < 4 {
			t.Errorf("%s: got %d text elements, want axis labels", name, texts)
		}
		png, err := c.PNG(72)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("%s: the PNG does not start like one", name)
		}
	}
}

func TestHTMLArticleNeedsNoInlineStyle(t *testing.T) {
	article, err := HTMLArticle(sampleInput())
	if err != nil {
		t.Fatal(err)
	}
	s := string(article)
	if !strings.HasPrefix(s, `<article class="sitrep">`) || !strings.HasSuffix(s, "</article>") {
		t.Errorf("got %.40q…, want one <article> element", s)
	}
	for _, bad := range []string{"<svg", " style=", "<style", "<script"} {
		if strings.Contains(s, bad) {
			t.Errorf("got %q in the article, which a strict Content-Security-Policy would block", bad)
		}
	}
	if got := strings.Count(s, `<img src="data:image/svg`); got != 2 {
		t.Errorf("got %d chart images, want 2", got)
	}
}

func TestMarkdownEscapesData(t *testing.T) {
	in := sampleInput()
	var b bytes.Buffer
	if err := Markdown(&b, in); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<b>from</b>", "Khasan | hand"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("got %q unescaped in the Markdown", bad)
		}
	}
}

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext is not installed (Debian: apt-get install poppler-utils); the PDF's text is not checked")
		}
		t.Fatal("pdftotext is not installed, and CI must check the PDF's text: apt-get install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "sitrep.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDFText(t *testing.T) {
	cases := []struct {
		name   string
		in     Input
		want   []string
		absent []string
	}{
		{"corps", sampleInput(), []string{
			"SITUATION REPORT", "Diplomatic corps (all missions)", "End of Thursday 1 April 2021",
			"251 people in the country at the end of 1 April (down 2 since the day before)",
			"People in the country at the end of each day", "Items with the fewest days of supply",
			"Wheat flour", "5 days", "TRAIN-20210405", "Morning check", "Restrictions in force",
			"Foreign tourists banned", "Fewer than 290 foreigners remain", "Page 1 of", "−2",
		}, []string{"Secret Name", "dialysis"}},
		{"mission", missionInput(), []string{"Embassy of the Russian Federation (RU)", "Secret Name (RU-0009)", "dialysis"}, nil},
		{"empty", emptyInput(), []string{"No people recorded yet.", "No stock recorded yet.", "No roll calls recorded yet.",
			"No medical cases recorded yet.", "No restrictions recorded yet."}, []string{"each day"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := PDF(&b, c.in); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
				t.Fatalf("got %.10q, want a PDF", b.Bytes())
			}
			text := strings.Join(strings.Fields(pdfText(t, b.Bytes())), " ")
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("got no %q in the PDF's text:\n%s", w, text)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(text, a) {
					t.Errorf("got %q in the PDF's text, want it absent", a)
				}
			}
		})
	}
}

func TestNiceCeil(t *testing.T) {
	cases := []struct{ in, want float64 }{{0, 10}, {7, 10}, {11, 15}, {132, 150}, {389 * 1.12, 500}, {2100, 2500}, {9000, 10000}}
	for _, c := range cases {
		if got := niceCeil(c.in); got != c.want {
			t.Errorf("niceCeil(%v): got %v, want %v", c.in, got, c.want)
		}
	}
}
