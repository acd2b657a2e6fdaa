package importer

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/outpost-org/outpost/internal/outpost"
)

// MaxShown is how many problems an import reports one by one; the rest are
// counted.
const MaxShown = 50

// located is one problem at a place in the file.
type located struct {
	line    int
	column  string
	message string
	got     string
	hasGot  bool
}

func (l located) format(file string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", file, l.line)
	if l.column != "" {
		b.WriteString(l.column)
		b.WriteString(": ")
	}
	b.WriteString(l.message)
	if l.hasGot || l.got != "" {
		fmt.Fprintf(&b, " (got %s)", strconv.Quote(l.got))
	}
	return b.String()
}

// Kind describes one importable kind of record: its columns and how a row
// becomes a value of type T.
type Kind[T any] struct {
	// Name is the kind as typed on the command line (people, missions, …).
	Name string
	// Columns lists every column the kind accepts, in documentation order.
	Columns []string
	// Required lists the columns the header must name.
	Required []string
	// Key names the column whose value must be unique within a file ("" for
	// kinds that are appended, not keyed).
	Key string
	// KeyColumns, when set, makes the key composite: the values of these
	// columns together must be unique within a file, and a duplicate is
	// reported on the Key column ("duplicate lot: the same mission, item
	// and lot are on line 4").
	KeyColumns []string
	// Parse reads one row; it reports problems on the row and returns ok
	// false when the value must not be written.
	Parse func(r *Row) (T, bool)
	// Check, when set, applies the domain's bounds (outpost's Validate) to
	// the parsed value; its field names are column names, and a problem on
	// a column Parse already found wrong is not reported twice.
	Check func(T) outpost.Problems
}

// Options are the parts of an import that come from outside the file.
type Options struct {
	// File is the name used in messages ("-" reads as "stdin").
	File string
	// Format overrides the format chosen by File's extension.
	Format Format
	// Progress, when set, is told how many bytes of the input were read.
	Progress func(bytes int64)
	// Context, when set, stops the import when it is cancelled (the
	// command line cancels it on SIGINT and SIGTERM): it is checked
	// between rows, and Err then answers its error.
	Context context.Context
	// Limits bound the file; zero fields take DefaultLimits.
	Limits Limits
	// Notice, when set, is told what was read in a way the user may not
	// expect (the workbook's data sheet when it is not the first), before
	// any row is.
	Notice func(string)
}

// Reader streams one file of one kind. Use Batch to hand its rows to a
// store; after the batch was consumed, Err tells whether the file was
// clean.
type Reader[T any] struct {
	kind     Kind[T]
	opts     Options
	src      source
	idx      map[string]int
	dates    dateSystem
	local    bool
	utf16    bool
	issues   []located
	more     int
	rows     int
	keys     *keySet
	started  bool
	ctx      context.Context
	lim      Limits
	lastLine int
	// stopLine is where reading stopped after MaxProblems problems.
	stopLine int
	// cancelled is the context's error once the import was interrupted.
	cancelled error
}

// Open prepares to read r as a file of the given kind. It reads and checks
// the header at once: a file with a bad header is refused before anything
// else happens.
func Open[T any](kind Kind[T], r io.Reader, opts Options) (*Reader[T], error) {
	if opts.File == "" || opts.File == "-" {
		opts.File = "stdin"
	}
	if opts.Progress != nil {
		r = &countingReader{r: r, fn: opts.Progress}
	}
	f := opts.Format
	if f == "" {
		f = FormatOf(opts.File)
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	rd := &Reader[T]{kind: kind, opts: opts, keys: newKeySet(),
		ctx: ctx, lim: opts.Limits.withDefaults()}
	src, err := newSource(ctx, f, r, rd.lim)
	if cerr := ctx.Err(); cerr != nil {
		if src != nil {
			src.close()
		}
		return nil, rd.interrupted(cerr)
	}
	if err != nil {
		return nil, rd.fail(located{line: 1, message: err.Error()})
	}
	rd.src = src
	rd.local = src.localFormats()
	if cs, ok := src.(*csvSource); ok {
		rd.utf16 = cs.encoding != ""
	}
	header, p := src.header()
	if cerr := ctx.Err(); cerr != nil {
		src.close()
		return nil, rd.interrupted(cerr)
	}
	if xs, ok := src.(*xlsxSource); ok && (p != nil || len(rd.headerProblems(header)) > 0) && len(xs.sheets) > 1 {
		if h, ok := rd.findSheet(xs); ok {
			header, p = h, nil
		} else {
			src.close()
			if p == nil {
				rd.checkHeader(header)
			} else {
				rd.add(*p)
			}
			return nil, rd.fail(located{line: 1, message: noSheetFits(xs.sheets, rd.kind)})
		}
	}
	if cerr := ctx.Err(); cerr != nil {
		src.close()
		return nil, rd.interrupted(cerr)
	}
	if p != nil {
		src.close()
		return nil, rd.fail(*p)
	}
	rd.dates = src.dateSystem()
	if js, ok := src.(*jsonSource); ok {
		js.setColumns(kind.Columns)
		header = kind.Columns
	}
	if len(header) > rd.lim.MaxColumns {
		src.close()
		return nil, rd.fail(located{line: 1, message: fmt.Sprintf("%d columns, more than the %d one import reads", len(header), rd.lim.MaxColumns)})
	}
	if err := rd.checkHeader(header); err != nil {
		src.close()
		if cs, ok := src.(*csvSource); ok {
			if hint := cs.headerHint(header); hint != "" {
				return nil, rd.fail(located{line: 1, message: hint})
			}
		}
		return nil, err
	}
	if xs, ok := src.(*xlsxSource); ok && xs.sheet > 0 && opts.Notice != nil {
		opts.Notice(fmt.Sprintf("%s: read the sheet %q: the first sheet, %q, has no header of %s", opts.File, xs.sheets[xs.sheet], xs.sheets[0], kind.Name))
	}
	return rd, nil
}

// findSheet looks, past the first sheet, for the first sheet whose header
// row is a header of the kind, and leaves the source reading it. A
// workbook often opens with a cover or instructions sheet.
func (rd *Reader[T]) findSheet(xs *xlsxSource) ([]string, bool) {
	for i := 1; i < len(xs.sheets) && i < maxSheetsTried; i++ {
		if rd.ctx.Err() != nil {
			return nil, false
		}
		if err := xs.openSheet(i); err != nil {
			continue
		}
		h, p := xs.header()
		if p == nil && len(h) <= rd.lim.MaxColumns && len(rd.headerProblems(h)) == 0 {
			return h, true
		}
	}
	return nil, false
}

// noSheetFits says that no sheet of a workbook holds the kind, naming the
// sheets tried (the first ten).
func noSheetFits[T any](sheets []string, kind Kind[T]) string {
	tried := sheets[:min(len(sheets), maxSheetsTried)]
	names := make([]string, 0, 10)
	for _, n := range tried[:min(len(tried), 10)] {
		names = append(names, strconv.Quote(n))
	}
	list := strings.Join(names, ", ")
	if len(tried) > 10 {
		list += fmt.Sprintf(" and %d more", len(tried)-10)
	}
	return fmt.Sprintf("no sheet has a header of %s (the problems above are the first sheet's); sheets tried: %s", kind.Name, list)
}

// Close releases what reading the file holds (temporary files of a large
// workbook). Reading to the end closes too; Close may be called again.
func (rd *Reader[T]) Close() {
	if rd.src != nil {
		rd.src.close()
	}
}

// interrupted records that the import was cancelled and returns the error
// Err will answer.
func (rd *Reader[T]) interrupted(err error) error {
	rd.cancelled = fmt.Errorf("import %s: %w", rd.opts.File, err)
	return rd.cancelled
}

func (rd *Reader[T]) fail(l located) error {
	rd.add(l)
	return rd.Err()
}

// checkHeader maps the header's columns, recording every problem of it.
func (rd *Reader[T]) checkHeader(header []string) error {
	for _, p := range rd.headerProblems(header) {
		rd.add(p)
	}
	return rd.Err()
}

// headerProblems maps the header's columns to rd.idx and returns what is
// wrong with it, recording nothing.
func (rd *Reader[T]) headerProblems(header []string) []located {
	var out []located
	rd.idx = map[string]int{}
	known := map[string]bool{}
	for _, c := range rd.kind.Columns {
		known[c] = true
	}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case name == "":
			out = append(out, located{line: 1, column: fmt.Sprintf("column %d", i+1), message: "empty column name"})
		case !utf8.ValidString(h):
			out = append(out, located{line: 1, column: fmt.Sprintf("column %d", i+1), message: "not UTF-8 text: save the file as UTF-8", got: strings.ToValidUTF8(h, "?"), hasGot: true})
		case !known[name]:
			out = append(out, located{line: 1, column: name, message: "unknown column; the columns of " + rd.kind.Name + " are " + strings.Join(rd.kind.Columns, ", "), got: h, hasGot: true})
		default:
			if _, dup := rd.idx[name]; dup {
				out = append(out, located{line: 1, column: name, message: "column named twice", got: h, hasGot: true})
			}
			rd.idx[name] = i
		}
	}
	for _, c := range rd.kind.Required {
		if _, ok := rd.idx[c]; !ok {
			out = append(out, located{line: 1, column: c, message: "missing column (required)"})
		}
	}
	return out
}

func (rd *Reader[T]) add(l located) {
	if len(rd.issues) < MaxShown {
		rd.issues = append(rd.issues, l)
		return
	}
	rd.more++
}

// Problems returns how many problems were found so far.
func (rd *Reader[T]) Problems() int { return len(rd.issues) + rd.more }

// Rows returns how many data rows were read so far.
func (rd *Reader[T]) Rows() int { return rd.rows }

// Err returns nil when every row read was good, the context's error
// (wrapped) when the import was interrupted, or an EINVALID
// *outpost.Error whose Details locate each problem.
func (rd *Reader[T]) Err() error {
	if rd.cancelled != nil {
		return rd.cancelled
	}
	if len(rd.issues) == 0 {
		return nil
	}
	e := &outpost.Error{Code: outpost.EINVALID, More: rd.more}
	for _, l := range rd.issues {
		e.Details = append(e.Details, l.format(rd.opts.File))
	}
	n := len(rd.issues) + rd.more
	e.Message = fmt.Sprintf("%s: %d %s, nothing was imported", rd.opts.File, n, outpost.Plural(n, "problem", "problems"))
	if rd.stopLine > 0 {
		e.Message = fmt.Sprintf("%s: reading stopped at line %d after %d problems, nothing was imported", rd.opts.File, rd.stopLine, n)
	}
	return e
}

// Batch returns the file's good rows as a stream for a store. The stream
// stops yielding at the first problem (the store will not commit), but the
// file is still read so that problems are reported, up to MaxProblems;
// it ends at once when the import is interrupted.
func (rd *Reader[T]) Batch() outpost.Batch[T] {
	return outpost.Batch[T]{Rows: rd.all, Err: rd.Err}
}

// all reads the file row by row, checks each and yields the good ones. It
// stays whole: one loop whose state (the line, the problems so far, whether
// to stop) every check shares.
func (rd *Reader[T]) all(yield func(T) bool) {
	if rd.started {
		return
	}
	rd.started = true
	defer rd.src.close()
	row := &Row{idx: rd.idx, dates: rd.dates, local: rd.local}
	for {
		if err := rd.ctx.Err(); err != nil {
			rd.interrupted(err)
			return
		}
		if rd.Problems() >= MaxProblems {
			rd.stopLine = rd.lastLine
			return
		}
		rec, ok := rd.src.next()
		if !ok {
			return
		}
		rd.rows++
		rd.lastLine = rec.line
		if rd.rows > rd.lim.MaxRows {
			rd.add(located{line: rec.line, message: fmt.Sprintf("more than %d rows, the most one import reads: split the file", rd.lim.MaxRows)})
			return
		}
		if rec.problem != nil {
			rd.add(*rec.problem)
			continue
		}
		row.line, row.values, row.problems = rec.line, rec.values, row.problems[:0]
		for i, v := range rec.values {
			if !utf8.ValidString(v) {
				col := fmt.Sprintf("column %d", i+1)
				for name, j := range rd.idx {
					if j == i {
						col = name
					}
				}
				row.problems = append(row.problems, located{line: rec.line, column: col, message: "not UTF-8 text: save the file as UTF-8", got: strings.ToValidUTF8(v, "?"), hasGot: true})
			} else if rd.utf16 && strings.ContainsRune(v, utf8.RuneError) {
				// The UTF-16 decoder puts U+FFFD for what is not UTF-16
				// (half a character, a lone surrogate).
				row.problems = append(row.problems, located{line: rec.line, column: rd.columnName(i), message: "not UTF-16 text (a broken character): save the file as UTF-8 or UTF-16 again", got: v, hasGot: true})
			}
		}
		if len(row.problems) > 0 {
			for _, p := range row.problems {
				rd.add(p)
			}
			continue
		}
		v, good := rd.kind.Parse(row)
		if rd.kind.Check != nil {
			for _, f := range rd.kind.Check(v) {
				if !row.hasProblem(f.Field) {
					row.Problem(f.Field, f.Got, f.Message)
				}
			}
		}
		for i, v := range rec.values {
			// Every cell is bounded and free of control characters (a NUL
			// would also break a PostgreSQL batch), even in a column no
			// field check covers; single-line columns are stricter in
			// their own checks, which speak first.
			if msg := outpost.CheckText(v, outpost.MaxBody); msg != "" {
				if col := rd.columnName(i); !row.hasProblem(col) {
					good = false
					row.problems = append(row.problems, located{line: rec.line, column: col, message: msg, got: outpost.Clip(v), hasGot: true})
				}
			}
		}
		if rd.kind.Key != "" {
			rd.checkKey(row)
		}
		for _, p := range row.problems {
			rd.add(p)
		}
		if len(row.problems) > 0 || !good {
			continue
		}
		if len(rd.issues) == 0 {
			if !yield(v) {
				return
			}
		}
	}
}

// columnName names the i-th column of the file for a message.
func (rd *Reader[T]) columnName(i int) string {
	for name, j := range rd.idx {
		if j == i {
			return name
		}
	}
	return fmt.Sprintf("column %d", i+1)
}

// checkKey reports a row whose key an earlier row of the file has. Rows
// whose key is empty or wrong are left to the column checks.
func (rd *Reader[T]) checkKey(row *Row) {
	cols := rd.kind.KeyColumns
	if len(cols) == 0 {
		cols = []string{rd.kind.Key}
	}
	key := rd.keys.buf[:0]
	for _, c := range cols {
		v := row.Str(c)
		if v == "" || row.hasProblem(c) {
			return
		}
		// Length-prefixed, so that no two different tuples join alike.
		key = strconv.AppendInt(key, int64(len(v)), 10)
		key = append(key, ':')
		key = append(key, v...)
	}
	rd.keys.buf = key
	first, dup := rd.keys.add(key, row.line)
	if !dup {
		return
	}
	msg := fmt.Sprintf("duplicate %s: the same value is on line %d", rd.kind.Key, first)
	if len(rd.kind.KeyColumns) > 0 {
		msg = fmt.Sprintf("duplicate %s: the same %s are on line %d", rd.kind.Key, joinAnd(rd.kind.KeyColumns), first)
	}
	row.Problem(rd.kind.Key, row.Str(rd.kind.Key), msg)
}

// joinAnd writes a list as people do: "a, b and c".
func joinAnd(list []string) string {
	if len(list) < 2 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}

// Problem records a problem found after the rows were read, by a check that
// needs more than the file (an issue larger than the stock the database
// holds): it is reported like any other, as FILE:LINE: COLUMN: message
// (got "VALUE"), and Err no longer returns nil.
func (rd *Reader[T]) Problem(line int, column, got, message string) {
	rd.add(located{line: line, column: column, message: message, got: got, hasGot: true})
}

type countingReader struct {
	r  io.Reader
	n  int64
	fn func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.fn(c.n)
	return n, err
}
