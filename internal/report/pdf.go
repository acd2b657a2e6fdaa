package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"github.com/go-pdf/fpdf"
)

// Page geometry of the PDF, in millimetres (A4 portrait).
const (
	pdfMargin  = 15.0
	pdfTop     = 17.0
	pdfBottom  = 16.0
	pdfWidth   = 210.0 - 2*pdfMargin
	pdfChartDP = 200
)

// pdfWriter lays the document out on A4 pages with fpdf. The fonts are
// Liberation Sans, embedded (as subsets), so that every character of the
// data prints and a text extractor reads it back.
type pdfWriter struct {
	f  *fpdf.Fpdf
	d  *document
	in Input
}

func rgb(c color.Color) (int, int, int) {
	r, g, b, _ := c.RGBA()
	return int(r >> 8), int(g >> 8), int(b >> 8)
}

var (
	pdfBand  = color.RGBA{0xf3, 0xf5, 0xf7, 0xff}
	pdfZebra = color.RGBA{0xf8, 0xf9, 0xfa, 0xff}
)

// PDF writes the report as an A4 PDF document with its charts as images.
func PDF(w io.Writer, in Input) error {
	d := build(in)
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(pdfMargin, pdfTop, pdfMargin)
	f.SetAutoPageBreak(true, pdfBottom)
	f.AddUTF8FontFromBytes("sans", "", liberationsansregular.TTF)
	f.AddUTF8FontFromBytes("sans", "B", liberationsansbold.TTF)
	f.AddUTF8FontFromBytes("sans", "I", liberationsansitalic.TTF)
	title := d.Title + ": " + d.Scope + ", " + in.Date
	f.SetTitle(title, true)
	f.SetSubject(d.DateLine, true)
	f.SetCreator("Outpost", true)
	f.SetProducer("Outpost", true)
	if !in.Generated.IsZero() {
		f.SetCreationDate(in.Generated)
		f.SetModificationDate(in.Generated)
	}
	f.AliasNbPages("{nb}")
	p := &pdfWriter{f: f, d: d, in: in}
	f.SetHeaderFuncMode(p.header, true)
	f.SetFooterFunc(p.footer)
	f.AddPage()
	p.titleBlock()
	p.summary()
	for _, s := range d.Sections {
		if err := p.section(s); err != nil {
			return err
		}
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return f.Output(w)
}

func (p *pdfWriter) font(style string, size float64, c color.Color) {
	p.f.SetFont("sans", style, size)
	p.f.SetTextColor(rgb(c))
}

// header repeats the report's identity at the top of every page but the
// first.
func (p *pdfWriter) header() {
	f := p.f
	if f.PageNo() == 1 {
		f.SetFillColor(rgb(lineColor))
		f.Rect(0, 0, 210, 5, "F")
		return
	}
	p.font("", 8, mutedColor)
	f.SetXY(pdfMargin, 8)
	f.CellFormat(pdfWidth/2, 4, p.d.Title+" · "+p.d.Scope, "", 0, "L", false, 0, "")
	f.CellFormat(pdfWidth/2, 4, strings.TrimPrefix(p.d.DateLine, "End of "), "", 0, "R", false, 0, "")
	f.SetDrawColor(rgb(gridColor))
	f.SetLineWidth(0.2)
	f.Line(pdfMargin, 12.5, pdfMargin+pdfWidth, 12.5)
	f.SetY(pdfTop)
}

func (p *pdfWriter) footer() {
	f := p.f
	f.SetY(-11)
	p.font("", 7.5, mutedColor)
	f.CellFormat(pdfWidth*0.75, 4, p.d.Generated, "", 0, "L", false, 0, "")
	f.CellFormat(pdfWidth*0.25, 4, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "", 0, "R", false, 0, "")
}

func (p *pdfWriter) titleBlock() {
	f := p.f
	f.SetY(14)
	p.font("B", 9, lineColor)
	f.CellFormat(pdfWidth, 5, strings.ToUpper(p.d.Title), "", 1, "L", false, 0, "")
	p.font("B", 19, inkColor)
	f.MultiCell(pdfWidth, 8.5, p.d.Scope, "", "L", false)
	p.font("", 10.5, mutedColor)
	f.CellFormat(pdfWidth, 6, p.d.DateLine, "", 1, "L", false, 0, "")
	f.Ln(4)
}

func (p *pdfWriter) summary() {
	f := p.f
	const pad, indent, lh = 4.0, 5.0, 4.9
	p.font("", 9.5, inkColor)
	var lines [][]string
	h := pad*2 + 7
	for _, s := range p.d.Summary {
		ls := f.SplitText(s, pdfWidth-2*pad-indent)
		lines = append(lines, ls)
		h += float64(len(ls))*lh + 0.8
	}
	x, y := pdfMargin, f.GetY()
	f.SetFillColor(rgb(pdfBand))
	f.Rect(x, y, pdfWidth, h, "F")
	f.SetFillColor(rgb(lineColor))
	f.Rect(x, y, 1.2, h, "F")
	f.SetXY(x+pad, y+pad)
	p.font("B", 11, inkColor)
	f.CellFormat(pdfWidth-2*pad, 6, "Summary", "", 2, "L", false, 0, "")
	f.Ln(1)
	p.font("", 9.5, inkColor)
	for _, ls := range lines {
		for i, l := range ls {
			f.SetX(x + pad)
			bullet := ""
			if i == 0 {
				bullet = "•"
			}
			f.CellFormat(indent, lh, bullet, "", 0, "L", false, 0, "")
			f.CellFormat(pdfWidth-2*pad-indent, lh, l, "", 1, "L", false, 0, "")
		}
		f.Ln(0.8)
	}
	f.SetY(y + h + 2)
}

// room starts a new page unless h millimetres are left on this one.
func (p *pdfWriter) room(h float64) {
	_, pageH := p.f.GetPageSize()
	if p.f.GetY()+h > pageH-pdfBottom {
		p.f.AddPage()
	}
}

func (p *pdfWriter) section(s section) error {
	f := p.f
	p.room(30) // a heading never ends a page
	f.Ln(4)
	p.font("B", 13, inkColor)
	f.CellFormat(pdfWidth, 7, s.Title, "", 1, "L", false, 0, "")
	f.SetDrawColor(rgb(lineColor))
	f.SetLineWidth(0.6)
	f.Line(pdfMargin, f.GetY(), pdfMargin+pdfWidth, f.GetY())
	f.Ln(2.5)
	for i, b := range s.Blocks {
		switch b.Kind {
		case bPara:
			p.font("", 9.5, inkColor)
			f.MultiCell(pdfWidth, 4.9, b.Text, "", "L", false)
			f.Ln(1.5)
		case bNote:
			p.font("I", 9.5, mutedColor)
			f.MultiCell(pdfWidth, 4.9, b.Text, "", "L", false)
			f.Ln(1.5)
		case bHeading:
			need := 14.0
			if i+1 < len(s.Blocks) && s.Blocks[i+1].Kind == bTable {
				need = 24
			}
			p.room(need)
			f.Ln(1.5)
			p.font("B", 10, lineColor)
			f.CellFormat(pdfWidth, 5.5, b.Text, "", 1, "L", false, 0, "")
			f.Ln(0.5)
		case bTable:
			p.table(b.Table)
			f.Ln(2)
		case bChart:
			if err := p.chart(b.Chart); err != nil {
				return err
			}
		case bMap:
			if err := p.drawMap(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *pdfWriter) chart(name string) error {
	c := p.d.Charts[name]
	png, err := c.PNG(pdfChartDP)
	if err != nil {
		return err
	}
	f := p.f
	w := pdfWidth
	h := w * float64(c.H) / float64(c.W)
	p.room(h + 9)
	opts := fpdf.ImageOptions{ImageType: "PNG"}
	f.RegisterImageOptionsReader("chart-"+name, opts, bytes.NewReader(png))
	y := f.GetY() + 1
	f.ImageOptions("chart-"+name, pdfMargin, y, w, h, false, opts, 0, "")
	f.SetY(y + h + 1)
	p.font("I", 8.5, mutedColor)
	f.CellFormat(pdfWidth, 4.5, c.Title, "", 1, "L", false, 0, "")
	f.Ln(2)
	return nil
}

// The lines and padding of a table's cells, in mm.
const tableLine, tablePadX, tablePadY = 4.0, 1.6, 1.1

// pdfTable draws one table: its column widths on the page and its
// writer.
type pdfTable struct {
	p      *pdfWriter
	t      *table
	widths []float64
}

// table draws a table whose cells wrap, repeating its header on each new
// page.
func (p *pdfWriter) table(t *table) {
	f := p.f
	pt := pdfTable{p: p, t: t, widths: make([]float64, len(t.Cols))}
	for i, c := range t.Cols {
		pt.widths[i] = c.Width * pdfWidth
	}
	_, pageH := f.GetPageSize()
	p.room(tableLine*3 + 4*tablePadY)
	pt.head()
	for r, row := range t.Rows {
		cells, h := pt.wrapRow(row)
		if f.GetY()+h > pageH-pdfBottom {
			f.AddPage()
			pt.head()
		}
		pt.drawRow(r, row, cells, h)
	}
}

func (pt pdfTable) align(i int) string {
	if pt.t.Cols[i].Num {
		return "R"
	}
	return "L"
}

// wrap splits text into the lines that fit column i, at least one.
func (pt pdfTable) wrap(text string, i int) []string {
	ls := pt.p.f.SplitText(text, pt.widths[i]-2*tablePadX)
	if len(ls) == 0 {
		ls = []string{""}
	}
	return ls
}

// head draws the header row and the rule under it.
func (pt pdfTable) head() {
	p, f := pt.p, pt.p.f
	p.font("B", 8.2, inkColor)
	var cells [][]string
	n := 1
	for i, c := range pt.t.Cols {
		ls := pt.wrap(c.Title, i)
		cells = append(cells, ls)
		n = max(n, len(ls))
	}
	y := f.GetY()
	x := pdfMargin
	for i, ls := range cells {
		// Headers sit on the bottom line, as in the HTML.
		off := float64(n-len(ls)) * tableLine
		for j, l := range ls {
			f.SetXY(x+tablePadX, y+tablePadY+off+float64(j)*tableLine)
			f.CellFormat(pt.widths[i]-2*tablePadX, tableLine, l, "", 0, pt.align(i), false, 0, "")
		}
		x += pt.widths[i]
	}
	y += float64(n)*tableLine + 2*tablePadY
	f.SetDrawColor(rgb(inkColor))
	f.SetLineWidth(0.35)
	f.Line(pdfMargin, y, pdfMargin+pdfWidth, y)
	f.SetY(y)
}

// wrapRow splits a row's cells into lines, measured in the font each is
// drawn in, and returns them with the row's height.
func (pt pdfTable) wrapRow(row []cell) ([][]string, float64) {
	p := pt.p
	p.font("", 8.2, inkColor)
	var cells [][]string
	n := 1
	for i, c := range row {
		if c.Warn {
			p.font("B", 8.2, inkColor)
		}
		ls := pt.wrap(c.Text, i)
		p.font("", 8.2, inkColor)
		cells = append(cells, ls)
		n = max(n, len(ls))
	}
	return cells, float64(n)*tableLine + 2*tablePadY
}

// drawRow draws the r-th row, its lines cells and height h, zebra-striped,
// with a rule under it.
func (pt pdfTable) drawRow(r int, row []cell, cells [][]string, h float64) {
	p, f := pt.p, pt.p.f
	y := f.GetY()
	if r%2 == 1 {
		f.SetFillColor(rgb(pdfZebra))
		f.Rect(pdfMargin, y, pdfWidth, h, "F")
	}
	x := pdfMargin
	for i, ls := range cells {
		c := row[i]
		switch {
		case c.Warn:
			p.font("B", 8.2, warnColor)
		case c.Link != "":
			p.font("", 8.2, lineColor)
		default:
			p.font("", 8.2, inkColor)
		}
		for j, l := range ls {
			f.SetXY(x+tablePadX, y+tablePadY+float64(j)*tableLine)
			f.CellFormat(pt.widths[i]-2*tablePadX, tableLine, l, "", 0, pt.align(i), false, 0, "")
		}
		x += pt.widths[i]
	}
	f.SetDrawColor(rgb(gridColor))
	f.SetLineWidth(0.2)
	f.Line(pdfMargin, y+h, pdfMargin+pdfWidth, y+h)
	f.SetY(y + h)
}
