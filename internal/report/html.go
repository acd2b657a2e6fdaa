package report

import (
	"bytes"
	"embed"
	"encoding/base64"
	"github.com/outpost-org/outpost/internal/mapsvg"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/sitrep.html templates/sitrep.css
var templateFS embed.FS

// stylesheet is the report's CSS; every rule is scoped to .sitrep so the
// article can sit inside another page.
var stylesheet = mustRead("templates/sitrep.css")

var pageTemplate = template.Must(template.New("").ParseFS(templateFS, "templates/sitrep.html"))

func mustRead(name string) string {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Stylesheet returns the CSS of the HTML report, for a page that embeds
// the article of HTMLArticle.
func Stylesheet() string { return stylesheet }

// htmlView is the document as the template reads it.
type htmlView struct {
	Title, Scope, DateLine, Generated, Date string
	Summary                                 []string
	Sections                                []htmlSection
	CSS                                     template.CSS
}

type htmlSection struct {
	ID, Title string
	Blocks    []htmlBlock
}

type htmlBlock struct {
	Kind    string
	Text    string
	Table   *htmlTable
	SVG     template.HTML
	Image   template.URL
	Caption string
	Desc    string
}

type htmlTable struct {
	Cols []column
	Rows [][]htmlCell
}

type htmlCell struct {
	Text, Class, Link string
}

// HTML writes the report as one self-contained, print-friendly HTML
// document: its stylesheet inline and its charts as inline SVG, with
// nothing fetched from elsewhere and no script.
func HTML(w io.Writer, in Input) error {
	v, err := htmlViewOf(in, false)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := pageTemplate.ExecuteTemplate(&b, "document", v); err != nil {
		return err
	}
	_, err = b.WriteTo(w)
	return err
}

// HTMLArticle returns the report as an <article class="sitrep"> element to
// place inside another page, which must also carry Stylesheet. Its charts
// are SVG images in data: URLs rather than inline SVG, so that the page
// needs no inline styles (a Content-Security-Policy of style-src 'self'
// and img-src data: shows it whole).
func HTMLArticle(in Input) (template.HTML, error) {
	v, err := htmlViewOf(in, true)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := pageTemplate.ExecuteTemplate(&b, "article", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

func htmlViewOf(in Input, images bool) (htmlView, error) {
	d := build(in)
	v := htmlView{Title: d.Title, Scope: d.Scope, DateLine: d.DateLine, Generated: d.Generated, Date: in.Date,
		Summary: d.Summary, CSS: template.CSS(stylesheet)}
	for _, s := range d.Sections {
		hs := htmlSection{ID: s.ID, Title: s.Title}
		for _, b := range s.Blocks {
			hb := htmlBlock{Text: b.Text}
			switch b.Kind {
			case bPara:
				hb.Kind = "para"
			case bNote:
				hb.Kind = "note"
			case bHeading:
				hb.Kind = "heading"
			case bChart:
				c := d.Charts[b.Chart]
				svg, err := c.SVG()
				if err != nil {
					return v, err
				}
				hb.Kind, hb.Caption, hb.Desc = "chart", c.Title, c.Desc
				if images {
					hb.Image = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg))
				} else {
					// The SVG is made here from escaped text (see
					// chart.SVG); nothing in it comes unescaped from the
					// input.
					hb.SVG = template.HTML(svg)
				}
			case bMap:
				svg, err := mapsvg.SVG(*in.Map)
				if err != nil {
					return v, err
				}
				hb.Kind, hb.Caption, hb.Desc = "chart", mapsvg.Title(*in.Map), mapsvg.Title(*in.Map)+". "+mapsvg.Description(*in.Map)
				if images {
					hb.Image = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg)))
				} else {
					hb.SVG = template.HTML(svg) // mapsvg escapes every text it writes
				}
			case bTable:
				hb.Kind = "table"
				hb.Table = htmlTableOf(b.Table)
			}
			hs.Blocks = append(hs.Blocks, hb)
		}
		v.Sections = append(v.Sections, hs)
	}
	return v, nil
}

func htmlTableOf(t *table) *htmlTable {
	ht := &htmlTable{Cols: t.Cols}
	for _, r := range t.Rows {
		row := make([]htmlCell, len(r))
		for i, c := range r {
			var cls []string
			if i < len(t.Cols) && t.Cols[i].Num {
				cls = append(cls, "num")
			}
			if c.Warn {
				cls = append(cls, "warn")
			}
			row[i] = htmlCell{Text: c.Text, Class: strings.Join(cls, " "), Link: c.Link}
		}
		ht.Rows = append(ht.Rows, row)
	}
	return ht
}
