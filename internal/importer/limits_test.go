package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/testkit"
	"github.com/xuri/excelize/v2"
)

// workbook returns an .xlsx file whose first sheet is the XML that sheet
// writes between <sheetData> and </sheetData>, deflated as Excel does.
func workbook(t testing.TB, sheet func(w io.Writer)) []byte {
	t.Helper()
	f := excelize.NewFile()
	var base bytes.Buffer
	if err := f.Write(&base); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(base.Bytes()), int64(base.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if e.Name == "xl/worksheets/sheet1.xml" {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
				`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			sheet(w)
			io.WriteString(w, `</sheetData></worksheet>`)
			continue
		}
		r, _ := e.Open()
		io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// withPart returns the workbook b with one more part, name, of n bytes of
// random text (which packs like a real part, not like a bomb).
func withPart(t testing.TB, b []byte, name string, n int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		if err := zw.Copy(e); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	raw := make([]byte, n*3/4)
	rand.Read(raw)
	io.WriteString(w, base64.StdEncoding.EncodeToString(raw))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// xlsxRow writes one sheet row of inline strings.
func xlsxRow(w io.Writer, n int, cells ...string) {
	fmt.Fprintf(w, `<row r="%d">`, n)
	for i, c := range cells {
		fmt.Fprintf(w, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, n, c)
	}
	io.WriteString(w, `</row>`)
}

// bomb is a sheet whose header is refused and whose XML expands from a
// few hundred kB to 64 MB: the temporary file excelize would unpack it to
// stayed behind when the header was refused.
func bomb(w io.Writer) {
	xlsxRow(w, 1, "code", "bogus")
	filler := bytes.Repeat([]byte(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`), 1<<14)
	for n := 0; n < 64<<20/len(filler); n++ {
		w.Write(filler)
	}
}

// noiseRows writes n rows of random text: a large sheet that packs like
// a real one (a few times), not like a bomb.
func noiseRows(header []string, n int) func(w io.Writer) {
	return func(w io.Writer) {
		xlsxRow(w, 1, header...)
		b := make([]byte, 96)
		for i := 2; i <= n+1; i++ {
			rand.Read(b)
			xlsxRow(w, i, "M"+fmt.Sprint(i), base64.RawURLEncoding.EncodeToString(b), "embassy", "open")
		}
	}
}

// tempFiles lists the files in the temporary folder, which the test
// points at a folder of its own.
func tempFiles(t *testing.T) []string {
	t.Helper()
	return testkit.DirNames(t, os.TempDir())
}

// openAll reads a whole file as missions and returns the error.
func openAll(ctx context.Context, data []byte, name string, lim Limits) (rows int, err error) {
	rd, err := Open(Missions(), bytes.NewReader(data), Options{File: name, Context: ctx, Limits: lim})
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	for range rd.Batch().Rows {
		rows++
	}
	return rows, rd.Err()
}

// TestXLSXLimitsLeaveNoTemporaryFile: a zip bomb is refused before it is
// unpacked, a sheet past the row or column limit is refused, and no path
// (header refused, row refused, interrupted) leaves a temporary file.
func TestXLSXLimitsLeaveNoTemporaryFile(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	header := []string{"code", "name", "kind", "status"}
	big := workbook(t, noiseRows(header, 60_000)) // sheet above 16 MB: unpacked to a temporary file
	badHeader := workbook(t, noiseRows([]string{"code", "name", "kind", "bogus"}, 60_000))
	wide := workbook(t, func(w io.Writer) {
		xlsxRow(w, 1, header...)
		io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>M1</t></is></c><c r="ZZ2" t="inlineStr"><is><t>x</t></is></c></row>`)
	})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		data []byte
		ctx  context.Context
		lim  Limits
		want string
	}{
		{"zip bomb", workbook(t, bomb), context.Background(), Limits{}, "zip bomb"},
		{"unpacks past the limit", big, context.Background(), Limits{MaxUnzipped: 4 << 20}, "unpacks to more than 4.0 MB"},
		{"header refused", badHeader, context.Background(), Limits{}, "bogus: unknown column"},
		{"too many rows", big, context.Background(), Limits{MaxXLSXRows: 1000}, "more than 1000 rows"},
		{"too many columns", wide, context.Background(), Limits{MaxColumns: 100}, "past the 100 columns"},
		{"file too large", big, context.Background(), Limits{MaxXLSXBytes: 1 << 20}, "larger than 1.0 MB"},
		{"interrupted", big, cancelled, Limits{}, "context canceled"},
		{"shared strings past what is held in memory", withPart(t, workbook(t, noiseRows(header, 10)), "xl/sharedStrings.xml", 3<<20),
			context.Background(), Limits{MaxHeldPart: 2 << 20}, "xl/sharedStrings.xml of the workbook unpacks to 3.0 MB, more than the 2.0 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openAll(tc.ctx, tc.data, "m.xlsx", tc.lim)
			msg := ""
			if err != nil {
				msg = err.Error() + " " + strings.Join(details(err), " ")
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("got %v, want an error saying %q", msg, tc.want)
			}
			if left := tempFiles(t); len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
	// The same large workbook within the limits imports every row, and
	// still leaves nothing behind.
	rows, err := openAll(context.Background(), big, "m.xlsx", Limits{})
	if err != nil || rows != 60_000 {
		t.Errorf("the large workbook: %d rows, %v; want 60000 and no error", rows, err)
	}
	if left := tempFiles(t); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestImportStopsAfterMaxProblems: a file of 10,000 bad rows is not read
// to its end; MaxShown problems are listed and the rest up to
// MaxProblems counted, and the message says where reading stopped.
func TestImportStopsAfterMaxProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("code,name,kind,status\n")
	for i := range 10_000 {
		fmt.Fprintf(&b, "M%d,Mission %d,bogus,open\n", i, i)
	}
	for _, format := range []Format{CSV, JSON} {
		data := b.String()
		if format == JSON {
			var j strings.Builder
			j.WriteString("[")
			for i := range 10_000 {
				if i > 0 {
					j.WriteString(",")
				}
				fmt.Fprintf(&j, `{"code":"M%d","name":"x","kind":"bogus","status":"open"}`, i)
			}
			j.WriteString("]")
			data = j.String()
		}
		t.Run(string(format), func(t *testing.T) {
			rd, err := Open(Missions(), strings.NewReader(data), Options{File: "m", Format: format})
			if err != nil {
				t.Fatal(err)
			}
			for range rd.Batch().Rows {
				t.Fatal("a bad row was yielded")
			}
			var oe *outpost.Error
			if !errors.As(rd.Err(), &oe) {
				t.Fatalf("got %v, want an *outpost.Error", rd.Err())
			}
			if len(oe.Details) != MaxShown || len(oe.Details)+oe.More != MaxProblems {
				t.Errorf("got %d listed and %d more, want %d listed and %d in all", len(oe.Details), oe.More, MaxShown, MaxProblems)
			}
			if !strings.Contains(oe.Message, "reading stopped") {
				t.Errorf("message %q does not say reading stopped", oe.Message)
			}
			if rd.Rows() > MaxProblems {
				t.Errorf("read %d rows, want reading to stop at the %dth problem", rd.Rows(), MaxProblems)
			}
		})
	}
}

// endless is an endless CSV of good missions; it cancels its context once
// it has served cancelAfter rows.
type endless struct {
	n, cancelAfter int
	cancel         func()
	buf            []byte
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.buf) == 0 {
		e.n++
		if e.n == e.cancelAfter {
			e.cancel()
		}
		e.buf = fmt.Appendf(nil, "M%d,Mission,embassy,open\n", e.n)
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	return n, nil
}

// TestImportStopsWhenInterrupted: an endless file ends when its context
// is cancelled (SIGINT, SIGTERM on the command line), with the context's
// error, between rows.
func TestImportStopsWhenInterrupted(t *testing.T) {
	for _, after := range []int{1, 5000} {
		ctx, cancel := context.WithCancel(context.Background())
		src := &endless{cancel: cancel, cancelAfter: after, buf: []byte("code,name,kind,status\n")}
		done := make(chan error, 1)
		go func() {
			rd, err := Open(Missions(), src, Options{File: "m.csv", Context: ctx})
			if err != nil {
				done <- err
				return
			}
			for range rd.Batch().Rows {
			}
			done <- rd.Err()
		}()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled after %d rows: got %v, want context.Canceled", after, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("cancelled after %d rows: the import did not stop (hang guard)", after)
		}
	}
}

// TestCSVAndJSONLimits: a file past the size or row limit is refused with
// a located message.
func TestCSVAndJSONLimits(t *testing.T) {
	rows := "code,name,kind,status\nRU,R,embassy,open\nSE,S,embassy,open\nCN,C,embassy,open\n"
	js := `[{"code":"RU","name":"R","kind":"embassy","status":"open"},{"code":"SE","name":"S","kind":"embassy","status":"open"},{"code":"CN","name":"C","kind":"embassy","status":"open"}]`
	for _, tc := range []struct {
		name, file, data string
		lim              Limits
		want             string
	}{
		{"csv rows", "m.csv", rows, Limits{MaxRows: 2}, "m.csv:4: more than 2 rows"},
		{"csv size", "m.csv", rows, Limits{MaxBytes: 40}, "larger than 40 bytes"},
		{"json rows", "m.json", js, Limits{MaxRows: 2}, "m.json:3: more than 2 rows"},
		{"json size", "m.json", js, Limits{MaxBytes: 70}, "larger than 70 bytes"},
		{"csv columns", "m.csv", "code,name,kind,status\n", Limits{MaxColumns: 3}, "4 columns, more than the 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openAll(context.Background(), []byte(tc.data), tc.file, tc.lim)
			if got := strings.Join(details(err), "\n"); !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestXLSXInterruptedMidSheetLeavesNoTemporaryFile: an import of a large
// workbook interrupted between rows removes the sheet's temporary file.
func TestXLSXInterruptedMidSheetLeavesNoTemporaryFile(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	data := workbook(t, noiseRows([]string{"code", "name", "kind", "status"}, 60_000))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rd, err := Open(Missions(), bytes.NewReader(data), Options{File: "m.xlsx", Context: ctx})
	if err != nil {
		t.Fatal(err)
	}
	if len(tempFiles(t)) == 0 {
		t.Fatal("the sheet was not unpacked to a temporary file: make it larger")
	}
	n := 0
	for range rd.Batch().Rows {
		if n++; n == 10 {
			cancel()
		}
	}
	if !errors.Is(rd.Err(), context.Canceled) {
		t.Errorf("got %v, want context.Canceled", rd.Err())
	}
	if left := tempFiles(t); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// FuzzXLSX: the workbook reader never panics, honours its limits and
// locates every problem, whatever the archive holds.
func FuzzXLSX(f *testing.F) {
	f.Add(workbook(f, func(w io.Writer) {
		xlsxRow(w, 1, "code", "name", "kind", "status")
		xlsxRow(w, 2, "RU", "R", "embassy", "open")
	}))
	f.Add(workbook(f, func(w io.Writer) { // a small bomb: 2 MB of one row repeated
		xlsxRow(w, 1, "code", "name", "kind", "status")
		w.Write(bytes.Repeat([]byte(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`), 40_000))
	}))
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Add([]byte{})
	// Both date systems, and the data on a later sheet.
	f.Add(excelizeBook(f, false))
	f.Add(excelizeBook(f, true))
	f.Add(emptyFirstSheet(f))
	people := People(func(string) bool { return true }, time.UTC, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxUnzipped: 4 << 20, MaxXLSXRows: 1000, MaxColumns: 64}
		fuzzWorkbook(t, Missions(), data, lim)
		fuzzWorkbook(t, people, data, lim)
	})
}

// fuzzWorkbook reads data as a workbook of kind: within the limits, and
// every problem located.
func fuzzWorkbook[T any](t *testing.T, kind Kind[T], data []byte, lim Limits) {
	rd, err := Open(kind, bytes.NewReader(data), Options{File: "f", Format: XLSX, Limits: lim})
	if err == nil {
		for range rd.Batch().Rows {
		}
		if rd.Rows() > lim.MaxXLSXRows+1 {
			t.Fatalf("read %d rows past the limit of %d", rd.Rows(), lim.MaxXLSXRows)
		}
		err = rd.Err()
		rd.Close()
	}
	for _, d := range details(err) {
		if !strings.HasPrefix(d, "f:") {
			t.Fatalf("problem not located: %q", d)
		}
	}
}
