// Package importer turns the spreadsheets embassies already keep (CSV,
// XLSX, JSON) into validated domain values, each problem located as
// FILE:LINE: COLUMN: what is wrong (got "X"). It reads a stream, so a file
// of a million rows takes little memory, and it never writes: the caller
// hands its rows to the store, which commits only when the file was clean.
package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// record is one data row of a source: its line (CSV), row (XLSX) or 1-based
// array index (JSON), and its values in the order of the header.
type record struct {
	line   int
	values []string
	// problem is set when the row could not be read at all (bad quoting,
	// wrong number of fields, not an object): the whole row is reported.
	problem *located
}

// source yields a header and then records.
type source interface {
	header() ([]string, *located)
	next() (record, bool)
	// dateSystem tells whether dates may arrive as spreadsheet serial
	// numbers (XLSX cells formatted as dates), and counted from when.
	dateSystem() dateSystem
	// localFormats is true where numbers may have a decimal comma and
	// dates be written D.M.YYYY (a ';'-separated CSV).
	localFormats() bool
	// close releases what the source holds (an XLSX file's temporary
	// files); it may be called more than once.
	close()
}

// Format names a file format by the extension that selects it.
type Format string

// The formats importer reads.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
	JSON Format = "json"
)

// FormatOf picks the format by the file name's extension; "-" (stdin) and
// unknown extensions are CSV.
func FormatOf(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return XLSX
	case ".json":
		return JSON
	}
	return CSV
}

func newSource(ctx context.Context, f Format, r io.Reader, lim Limits) (source, error) {
	switch f {
	case XLSX:
		s, err := newXLSX(ctx, &boundedReader{ctx: ctx, r: r, max: lim.MaxXLSXBytes}, lim)
		if err != nil {
			return nil, err
		}
		return s, nil
	case JSON:
		return newJSON(&boundedReader{ctx: ctx, r: r, max: lim.MaxBytes}, lim), nil
	}
	return newCSV(&boundedReader{ctx: ctx, r: r, max: lim.MaxBytes}, lim), nil
}

// ---- CSV ----

type csvSource struct {
	r    *csv.Reader
	done bool
	max  int64
	// line is the line of the last row read.
	line int
	// sep separates the columns: ',' unless the header line says ';' or
	// a tab (see sniffSeparator).
	sep rune
	// encoding names the text encoding the file was decoded from, "" for
	// UTF-8.
	encoding string
	// notText, when set, says why the file is no CSV at all (a workbook
	// under a .csv name): the header reports it.
	notText string
}

func newCSV(r io.Reader, lim Limits) *csvSource {
	br := bufio.NewReaderSize(r, 1<<16)
	s := &csvSource{max: lim.MaxBytes, sep: ','}
	if b, _ := br.Peek(8); bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		s.notText = "a zip archive (an .xlsx or .ods workbook?), not CSV text: name an .xlsx workbook with its .xlsx extension, or save the sheet as CSV UTF-8"
	} else if bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		s.notText = "an Excel 97-2003 workbook (.xls), not CSV text: save it as .xlsx or as CSV UTF-8"
	}
	if enc, order := utf16Order(br); enc != "" {
		// Excel's "Unicode text" and many Windows tools write UTF-16; it
		// is read as the UTF-8 it stands for (a byte order mark, if any,
		// is dropped). The lines stay the lines of the file.
		s.encoding = enc
		dec := unicode.UTF16(order, unicode.UseBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), 1<<16)
	}
	// Excel writes a UTF-8 byte order mark; it is not part of the first
	// column's name.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	// Peek returns what it holds even with an error; the error itself
	// comes again from the first read of the header.
	head, _ := br.Peek(br.Size())
	s.sep = sniffSeparator(head)
	cr := csv.NewReader(br)
	cr.Comma = s.sep
	cr.ReuseRecord = false
	s.r = cr
	return s
}

// utf16Order tells whether the file starts as UTF-16 text: by its byte
// order mark, or, without one, by the zero bytes every ASCII character
// (the header's column names) has in UTF-16 and never has in UTF-8 or a
// single-byte code page. It names the encoding for messages.
func utf16Order(br *bufio.Reader) (string, unicode.Endianness) {
	b, _ := br.Peek(512)
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return "UTF-16LE", unicode.LittleEndian
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return "UTF-16BE", unicode.BigEndian
	}
	b = b[:len(b)&^1]
	if len(b) < 4 {
		return "", unicode.LittleEndian
	}
	var even, odd int
	for i := 0; i < len(b); i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	// Most characters of a header are ASCII: their high byte is zero,
	// their low byte is not.
	pairs := len(b) / 2
	switch {
	case odd*2 >= pairs && even*8 < pairs:
		return "UTF-16LE", unicode.LittleEndian
	case even*2 >= pairs && odd*8 < pairs:
		return "UTF-16BE", unicode.BigEndian
	}
	return "", unicode.LittleEndian
}

// sniffSeparator picks the separator of the columns from the header line
// (the start of head up to its first line break outside quotes): the one
// of ',', ';' and tab found most often outside quotes, ',' when none is
// or on a tie. Excel writes ';' where the comma is the decimal sign (most
// of Europe, Russia) and tabs in its "Unicode text".
func sniffSeparator(head []byte) rune {
	var comma, semi, tab int
	quoted := false
scan:
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n' || c == '\r':
			break scan
		case c == ',':
			comma++
		case c == ';':
			semi++
		case c == '\t':
			tab++
		}
	}
	switch {
	case semi > comma && semi >= tab:
		return ';'
	case tab > comma && tab > semi:
		return '\t'
	}
	return ','
}

// separatorName names a separator in a message.
func separatorName(sep rune) string {
	switch sep {
	case '\t':
		return "tabs"
	case ';':
		return "';'"
	}
	return "commas"
}

// headerHint says how the header was read, for a header that did not
// match the kind: the separator (and encoding) found, or that the header
// is one column, so that another separator is the likely cause.
func (s *csvSource) headerHint(header []string) string {
	how := "columns separated by " + separatorName(s.sep)
	if s.encoding != "" {
		how = s.encoding + " text, " + how
	}
	switch {
	case len(header) == 1 && strings.ContainsAny(header[0], "|:,;\t"):
		return fmt.Sprintf("the header is one column: it was read as %s, and only commas, ';' and tabs separate columns", how)
	case s.sep != ',' || s.encoding != "":
		return "the header was read as " + how
	}
	return ""
}

func (s *csvSource) dateSystem() dateSystem { return noSerials }

// localFormats is true for a ';'-separated file: Excel writes it where
// the comma is the decimal sign and dates are D.M.YYYY.
func (s *csvSource) localFormats() bool { return s.sep == ';' }

func (s *csvSource) close() {}

func (s *csvSource) header() ([]string, *located) {
	if s.notText != "" {
		s.done = true
		return nil, &located{line: 1, message: s.notText}
	}
	h, err := s.r.Read()
	if err == io.EOF {
		return nil, &located{line: 1, message: "the file is empty: want a header row naming the columns"}
	}
	if err != nil {
		return nil, s.problem(err, 1)
	}
	s.line = 1
	return h, nil
}

// problem locates a read error; one that is not about the CSV's syntax
// (the file too large, the import interrupted) ends the file.
func (s *csvSource) problem(err error, line int) *located {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		s.done = true
	}
	if errors.Is(err, errTooLarge) {
		return &located{line: line, message: tooLarge(s.max)}
	}
	return csvProblem(err, line)
}

func (s *csvSource) next() (record, bool) {
	if s.done {
		return record{}, false
	}
	vals, err := s.r.Read()
	// Excel ends a sheet saved as CSV with a line of bare separators for
	// every formatted but empty row: a record of blank cells (whatever
	// their number) is no row, as in a workbook.
	for blank(vals) && (err == nil || errors.Is(err, csv.ErrFieldCount)) {
		vals, err = s.r.Read()
	}
	if err == io.EOF {
		s.done = true
		return record{}, false
	}
	if err != nil {
		// A read that failed (not a syntax error) may have no field whose
		// position could be asked: it is placed after the last row read.
		line := s.line + 1
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				line = pe.Line
			}
		}
		s.line = line
		return record{line: line, problem: s.problem(err, line)}, true
	}
	line, _ := s.r.FieldPos(0)
	s.line = line
	return record{line: line, values: vals}, true
}

// blank reports whether every cell of a record (of none, for an empty
// row of a sheet) is empty or white space.
func blank(vals []string) bool {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func csvProblem(err error, line int) *located {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			return &located{line: pe.Line, message: "wrong number of fields: every row must have one field per header column"}
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return &located{line: pe.Line, column: fmt.Sprintf("column %d", pe.Column), message: `bare " in a field that is not quoted: quote the whole field and double the inner quotes ("")`}
		case errors.Is(pe.Err, csv.ErrQuote):
			return &located{line: pe.Line, column: fmt.Sprintf("column %d", pe.Column), message: `unterminated or misplaced " in a quoted field`}
		}
		return &located{line: pe.Line, message: "malformed CSV: " + pe.Err.Error()}
	}
	return &located{line: line, message: "cannot read the file: " + err.Error()}
}

// ---- XLSX ----

type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	n     int
	width int
	// tmp is the folder of the workbook's temporary files (a sheet larger
	// than what is unpacked in memory): removed on close, whatever
	// happened, so that no path leaves a file behind.
	tmp     string
	maxRows int
	maxCols int
	closed  bool
	// sheets lists the workbook's sheets in order; sheet is the index of
	// the one being read.
	sheets []string
	sheet  int
	dates  dateSystem
}

// xlsxInMemory is the largest sheet unpacked in memory; a larger one goes
// to a temporary file (excelize's default).
const xlsxInMemory = 16 << 20

func newXLSX(ctx context.Context, r io.Reader, lim Limits) (*xlsxSource, error) {
	b, err := io.ReadAll(r)
	if errors.Is(err, errTooLarge) {
		return nil, errors.New(tooLarge(lim.MaxXLSXBytes))
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the file: %w", err)
	}
	if err := checkZip(b, lim); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "outpost-import-")
	if err != nil {
		return nil, fmt.Errorf("cannot make a temporary folder: %w", err)
	}
	s := &xlsxSource{tmp: tmp, maxRows: lim.MaxXLSXRows, maxCols: lim.MaxColumns}
	// Unpacking and loading the shared strings cannot be interrupted from
	// outside excelize: they run aside, and an interrupt returns at once
	// (the temporary folder goes with close; a workbook opened after that
	// is closed as soon as it is).
	done := make(chan openedWorkbook, 1)
	go func() { done <- openWorkbook(b, lim, tmp) }()
	var o openedWorkbook
	select {
	case o = <-done:
	case <-ctx.Done():
		go func() {
			o := <-done
			if o.rows != nil {
				o.rows.Close()
			}
			if o.f != nil {
				o.f.Close()
			}
		}()
		s.close()
		return nil, ctx.Err()
	}
	s.f, s.rows, s.sheets, s.dates = o.f, o.rows, o.sheets, o.dates
	if o.err != nil {
		s.close()
		return nil, o.err
	}
	return s, nil
}

// openedWorkbook is a workbook unpacked with its first sheet's rows ready,
// or why not; the file and rows are set even with an error, to be closed.
type openedWorkbook struct {
	f      *excelize.File
	rows   *excelize.Rows
	sheets []string
	dates  dateSystem
	err    error
}

// openWorkbook unpacks the workbook b into tmp and opens its first sheet.
func openWorkbook(b []byte, lim Limits, tmp string) openedWorkbook {
	var o openedWorkbook
	o.f, o.err = excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: lim.MaxUnzipped, UnzipXMLSizeLimit: min(xlsxInMemory, lim.MaxUnzipped), TmpDir: tmp})
	if o.err != nil {
		o.err = fmt.Errorf("not a readable .xlsx workbook: %v", o.err)
		return o
	}
	// A workbook made by Excel for Mac (before 2011) counts its date
	// cells from 1904-01-01; every other from 1899-12-30. Read as the
	// latter, each of its dates would be 4 years and a day early.
	o.dates = serial1900
	props, err := o.f.GetWorkbookProps()
	if err != nil {
		o.err = fmt.Errorf("not a readable .xlsx workbook: %v", err)
		return o
	}
	if props.Date1904 != nil && *props.Date1904 {
		o.dates = serial1904
	}
	o.sheets = o.f.GetSheetList()
	if len(o.sheets) == 0 {
		o.err = fmt.Errorf("the workbook has no sheet")
		return o
	}
	if o.rows, o.err = o.f.Rows(o.sheets[0]); o.err != nil {
		o.err = fmt.Errorf("cannot read the first sheet %q: %v", o.sheets[0], o.err)
	}
	return o
}

// maxSheetsTried bounds how many sheets are searched for the header when
// the first is not the data.
const maxSheetsTried = 100

// openSheet starts reading the i-th sheet instead of the current one.
func (s *xlsxSource) openSheet(i int) error {
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	rows, err := s.f.Rows(s.sheets[i])
	if err != nil {
		return fmt.Errorf("cannot read the sheet %q: %v", s.sheets[i], err)
	}
	s.rows, s.sheet, s.n, s.width = rows, i, 0, 0
	return nil
}

// checkZip refuses a workbook that would unpack to more than the limits
// allow, before anything is unpacked: the sizes are those the archive
// declares, which the zip reader holds every part to.
func checkZip(b []byte, lim Limits) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("not a readable .xlsx workbook: %v", err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUnzipped) {
			return fmt.Errorf("the workbook unpacks to more than %s, the most one import takes: split it into smaller files", bytesText(lim.MaxUnzipped))
		}
		if !isSheet(f.Name) && f.UncompressedSize64 > uint64(lim.MaxHeldPart) {
			return fmt.Errorf("the part %s of the workbook unpacks to %s, more than the %s one import holds in memory: save the sheet as CSV and import that",
				f.Name, bytesText(int64(min(f.UncompressedSize64, 1<<62))), bytesText(lim.MaxHeldPart))
		}
		if f.UncompressedSize64 > 1<<20 && f.UncompressedSize64 > uint64(lim.MaxRatio)*max(f.CompressedSize64, 1) {
			return fmt.Errorf("the part %s of the workbook would expand %d times (%s to %s), more than the %d times of any real spreadsheet: refused as a zip bomb",
				f.Name, f.UncompressedSize64/max(f.CompressedSize64, 1), bytesText(int64(f.CompressedSize64)), bytesText(int64(min(f.UncompressedSize64, 1<<62))), lim.MaxRatio)
		}
	}
	return nil
}

// isSheet reports whether a part of a workbook is a worksheet, which
// excelize streams from disk rather than holding in memory.
func isSheet(name string) bool {
	return strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
}

func (s *xlsxSource) close() {
	if s.closed {
		return
	}
	s.closed = true
	if s.rows != nil {
		s.rows.Close()
	}
	if s.f != nil {
		s.f.Close()
	}
	os.RemoveAll(s.tmp)
}

func (s *xlsxSource) dateSystem() dateSystem { return s.dates }

func (s *xlsxSource) localFormats() bool { return false }

func (s *xlsxSource) header() ([]string, *located) {
	if !s.rows.Next() {
		which := "the first sheet"
		if s.sheet > 0 {
			which = fmt.Sprintf("the sheet %q", s.sheets[s.sheet])
		}
		return nil, &located{line: 1, message: which + " is empty: want a header row naming the columns"}
	}
	s.n = 1
	h, err := s.rows.Columns()
	if err != nil {
		return nil, &located{line: 1, message: "cannot read the header row: " + err.Error()}
	}
	for len(h) > 0 && strings.TrimSpace(h[len(h)-1]) == "" {
		h = h[:len(h)-1]
	}
	if len(h) > s.maxCols {
		return nil, &located{line: 1, message: fmt.Sprintf("%d columns, more than the %d one import reads", len(h), s.maxCols)}
	}
	s.width = len(h)
	return h, nil
}

func (s *xlsxSource) next() (record, bool) {
	for !s.closed && s.rows.Next() {
		s.n++
		if s.n-1 > s.maxRows {
			s.close()
			return record{line: s.n, problem: &located{line: s.n, message: fmt.Sprintf("more than %d rows, the most one import reads: split the sheet", s.maxRows)}}, true
		}
		vals, err := s.rows.Columns()
		if err != nil {
			return record{line: s.n, problem: &located{line: s.n, message: "cannot read the row: " + err.Error()}}, true
		}
		if blank(vals) {
			continue // spreadsheets end in empty rows
		}
		if len(vals) > s.maxCols {
			return record{line: s.n, problem: &located{line: s.n, message: fmt.Sprintf("a value stands in column %d, past the %d columns one import reads", len(vals), s.maxCols)}}, true
		}
		if len(vals) > s.width {
			for _, v := range vals[s.width:] {
				if strings.TrimSpace(v) != "" {
					return record{line: s.n, problem: &located{line: s.n, message: "a value stands in a column with no header"}}, true
				}
			}
			vals = vals[:s.width]
		}
		for len(vals) < s.width {
			vals = append(vals, "")
		}
		return record{line: s.n, values: vals}, true
	}
	s.close()
	return record{}, false
}

// ---- JSON ----

type jsonSource struct {
	dec    *json.Decoder
	max    int64
	cols   []string
	index  map[string]int
	n      int
	failed bool
}

func newJSON(r io.Reader, lim Limits) *jsonSource {
	return &jsonSource{dec: json.NewDecoder(bufio.NewReaderSize(r, 1<<16)), max: lim.MaxBytes}
}

func (s *jsonSource) dateSystem() dateSystem { return noSerials }

func (s *jsonSource) localFormats() bool { return false }

func (s *jsonSource) close() {}

// header for JSON is decided by the kind: every object is checked against
// the kind's columns, so the source reports the columns it is given.
func (s *jsonSource) header() ([]string, *located) {
	tok, err := s.dec.Token()
	if errors.Is(err, errTooLarge) {
		return nil, &located{line: 1, message: tooLarge(s.max)}
	}
	if err != nil {
		return nil, &located{line: 1, message: "not JSON: " + err.Error()}
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &located{line: 1, message: "want a JSON array of objects"}
	}
	return nil, nil
}

func (s *jsonSource) setColumns(cols []string) {
	s.cols = cols
	s.index = map[string]int{}
	for i, c := range cols {
		s.index[c] = i
	}
}

func (s *jsonSource) next() (record, bool) {
	if s.failed || !s.dec.More() {
		return record{}, false
	}
	s.n++
	var obj map[string]json.RawMessage
	if err := s.dec.Decode(&obj); err != nil {
		s.failed = true
		if errors.Is(err, errTooLarge) {
			return record{line: s.n, problem: &located{line: s.n, message: tooLarge(s.max)}}, true
		}
		return record{line: s.n, problem: &located{line: s.n, message: "not a JSON object: " + err.Error()}}, true
	}
	vals := make([]string, len(s.cols))
	for k, raw := range obj {
		i, ok := s.index[k]
		if !ok {
			return record{line: s.n, problem: &located{line: s.n, column: k, message: "unknown field", got: k}}, true
		}
		v, err := jsonScalar(raw)
		if err != nil {
			return record{line: s.n, problem: &located{line: s.n, column: k, message: err.Error(), got: string(raw)}}, true
		}
		vals[i] = v
	}
	return record{line: s.n, values: vals}, true
}

// jsonScalar renders a JSON value as the text a CSV cell would hold.
func jsonScalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case 't', 'f':
		return string(raw), nil
	case '[', '{':
		return "", errors.New("must be a string, number or boolean")
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsInf(f, 0) {
		return "", errors.New("not a number")
	}
	return string(raw), nil
}
