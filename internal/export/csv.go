// Package export writes the files Outpost hands out: CSV whose cells a
// spreadsheet shows as text and never runs, and output files that appear
// whole or not at all.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cell returns v as a spreadsheet will show it, never run it. Excel,
// LibreOffice and Google Sheets run a cell that begins with = + - or @,
// also after leading white space, and take a leading tab or carriage
// return as the start of one: such a cell gets a leading single quote
// (OWASP's rule for CSV injection). The full-width forms of the four signs
// count too, and the small forms, since East Asian input methods turn
// them into formulas; so does a sign behind an invisible character (a
// zero-width space, a byte-order mark, a control character). No
// exported column holds a signed number, so a leading minus is always
// neutralised rather than guessed to be a number.
func Cell(v string) string {
	if v == "" {
		return v
	}
	if v[0] == '\t' || v[0] == '\r' {
		return "'" + v
	}
	t := strings.TrimLeftFunc(v, invisible)
	if r, _ := utf8.DecodeRuneInString(t); strings.ContainsRune(formulaSigns, r) && t != "" {
		return "'" + v
	}
	return v
}

// formulaSigns are the signs that start a formula, in their ASCII,
// full-width and small forms.
const formulaSigns = "=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"

// invisible reports whether r is skipped before a spreadsheet reads a
// cell's first sign: white space, control characters and format
// characters (a zero-width space, a byte-order mark).
func invisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// BOM is the UTF-8 byte order mark. Excel on Windows opens a CSV file
// that lacks it in the system's legacy code page, so that Cyrillic comes
// out garbled; with it, as UTF-8. It is written only on request (--bom,
// ?bom=1): other programs take it for part of the first column's name.
const BOM = "\ufeff"

// StartCSV begins a CSV file on w: with bom, it writes BOM first. Every
// CSV file the product hands out starts through it.
func StartCSV(w io.Writer, bom bool) error {
	if !bom {
		return nil
	}
	if _, err := io.WriteString(w, BOM); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// CSV writes RFC 4180 records whose every cell went through Cell. It is
// the one way the product writes CSV.
type CSV struct {
	w    *csv.Writer
	cell []string
}

// NewCSV returns a CSV writing to w.
func NewCSV(w io.Writer) *CSV { return &CSV{w: csv.NewWriter(w)} }

// Write writes one record, each cell neutralised.
func (c *CSV) Write(record []string) error {
	c.cell = c.cell[:0]
	for _, v := range record {
		c.cell = append(c.cell, Cell(v))
	}
	if err := c.w.Write(c.cell); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// Flush writes what is buffered and reports the first error of any write.
func (c *CSV) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
