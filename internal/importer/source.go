// Package importer turns the spreadsheets embassies already keep (CSV,
// XLSX, JSON) into validated domain values, each problem located as
// FILE:LINE: COLUMN: what is wrong (got "X"). It reads a stream, so a file
// of a million rows takes little memory, and it never writes: the caller
// hands its rows to the store, which commits only when the file was clean.
package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
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
	// serialDates is true where dates may arrive as spreadsheet serial
	// numbers (XLSX cells formatted as dates).
	serialDates() bool
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

func newSource(f Format, r io.Reader) (source, error) {
	switch f {
	case XLSX:
		return newXLSX(r)
	case JSON:
		return newJSON(r), nil
	}
	return newCSV(r), nil
}

// ---- CSV ----

type csvSource struct {
	r    *csv.Reader
	done bool
}

func newCSV(r io.Reader) *csvSource {
	br := bufio.NewReaderSize(r, 1<<16)
	// Excel writes a UTF-8 byte order mark; it is not part of the first
	// column's name.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = false
	return &csvSource{r: cr}
}

func (s *csvSource) serialDates() bool { return false }

func (s *csvSource) header() ([]string, *located) {
	h, err := s.r.Read()
	if err == io.EOF {
		return nil, &located{line: 1, message: "the file is empty: want a header row naming the columns"}
	}
	if err != nil {
		return nil, csvProblem(err, 1)
	}
	return h, nil
}

func (s *csvSource) next() (record, bool) {
	if s.done {
		return record{}, false
	}
	vals, err := s.r.Read()
	if err == io.EOF {
		s.done = true
		return record{}, false
	}
	if err != nil {
		// FieldPos panics after some parse errors (a lone quote at the
		// end of the file): the error itself says where.
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				line = pe.Line
			}
		}
		return record{line: line, problem: csvProblem(err, line)}, true
	}
	line, _ := s.r.FieldPos(0)
	return record{line: line, values: vals}, true
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
}

func newXLSX(r io.Reader) (*xlsxSource, error) {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("not a readable .xlsx workbook: %v", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("cannot read the first sheet %q: %v", sheets[0], err)
	}
	return &xlsxSource{f: f, rows: rows}, nil
}

func (s *xlsxSource) serialDates() bool { return true }

func (s *xlsxSource) header() ([]string, *located) {
	if !s.rows.Next() {
		return nil, &located{line: 1, message: "the first sheet is empty: want a header row naming the columns"}
	}
	s.n = 1
	h, err := s.rows.Columns()
	if err != nil {
		return nil, &located{line: 1, message: "cannot read the header row: " + err.Error()}
	}
	for len(h) > 0 && strings.TrimSpace(h[len(h)-1]) == "" {
		h = h[:len(h)-1]
	}
	s.width = len(h)
	return h, nil
}

func (s *xlsxSource) next() (record, bool) {
	for s.rows.Next() {
		s.n++
		vals, err := s.rows.Columns()
		if err != nil {
			return record{line: s.n, problem: &located{line: s.n, message: "cannot read the row: " + err.Error()}}, true
		}
		blank := true
		for _, v := range vals {
			if strings.TrimSpace(v) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue // spreadsheets end in empty rows
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
	s.rows.Close()
	s.f.Close()
	return record{}, false
}

// ---- JSON ----

type jsonSource struct {
	dec    *json.Decoder
	cols   []string
	index  map[string]int
	n      int
	failed bool
}

func newJSON(r io.Reader) *jsonSource {
	return &jsonSource{dec: json.NewDecoder(bufio.NewReaderSize(r, 1<<16))}
}

func (s *jsonSource) serialDates() bool { return false }

// header for JSON is decided by the kind: every object is checked against
// the kind's columns, so the source reports the columns it is given.
func (s *jsonSource) header() ([]string, *located) {
	tok, err := s.dec.Token()
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
