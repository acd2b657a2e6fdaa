package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// MaxProblems is how many problems an import collects before it stops
// reading: a file that bad is the wrong file, and reading on would only
// spend time (MaxShown of them are listed, the rest counted).
const MaxProblems = 100

// Limits bound what one import reads, so that no file, however made, can
// take the memory, the disk or the time of the machine. A zero field takes
// its default (DefaultLimits).
type Limits struct {
	// MaxBytes bounds the size of a CSV or JSON file.
	MaxBytes int64
	// MaxRows bounds the data rows of a CSV or JSON file.
	MaxRows int
	// MaxXLSXBytes bounds the size of an .xlsx file, which is read into
	// memory whole.
	MaxXLSXBytes int64
	// MaxXLSXRows bounds the rows of the sheet read.
	MaxXLSXRows int
	// MaxUnzipped bounds what an .xlsx file unpacks to, all parts together.
	MaxUnzipped int64
	// MaxRatio bounds how many times a part of an .xlsx file may expand
	// (parts above 1 MiB); a zip bomb expands thousands of times.
	MaxRatio int64
	// MaxColumns bounds the columns of a header or a sheet's row.
	MaxColumns int
	// MaxHeldPart bounds what a part of an .xlsx file other than a sheet
	// unpacks to: the shared strings, styles and the like are held in
	// memory whole (several times their size), where sheets are streamed.
	MaxHeldPart int64
}

// DefaultLimits returns the limits of an import: twice the million people
// of the benchmark for CSV and JSON, Excel's own sheet size for XLSX, and
// Apache POI's zip-bomb ratio of 100.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:     1 << 30,
		MaxRows:      2_000_000,
		MaxXLSXBytes: 256 << 20,
		MaxXLSXRows:  1_048_576,
		MaxUnzipped:  2 << 30,
		MaxRatio:     100,
		MaxColumns:   1024,
		MaxHeldPart:  128 << 20,
	}
}

// withDefaults fills the zero fields of l.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&l.MaxBytes, d.MaxBytes)
	orDefault(&l.MaxRows, d.MaxRows)
	orDefault(&l.MaxXLSXBytes, d.MaxXLSXBytes)
	orDefault(&l.MaxXLSXRows, d.MaxXLSXRows)
	orDefault(&l.MaxUnzipped, d.MaxUnzipped)
	orDefault(&l.MaxRatio, d.MaxRatio)
	orDefault(&l.MaxColumns, d.MaxColumns)
	orDefault(&l.MaxHeldPart, d.MaxHeldPart)
	return l
}

// orDefault sets *v to d when it is not above zero: zero, or a meaningless
// negative, is "the default".
func orDefault[N int | int64 | float64](v *N, d N) {
	if *v <= 0 {
		*v = d
	}
}

// errTooLarge is returned by a boundedReader past its limit.
var errTooLarge = errors.New("file too large")

// boundedReader stops a read past max bytes, and one whose context was
// cancelled (SIGINT, SIGTERM), between reads.
type boundedReader struct {
	ctx context.Context
	r   io.Reader
	n   int64
	max int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		return 0, err
	}
	if b.n > b.max {
		return 0, errTooLarge
	}
	if rest := b.max + 1 - b.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.max {
		return n, errTooLarge
	}
	return n, err
}

// tooLarge is the message of a file past its size limit.
func tooLarge(max int64) string {
	return fmt.Sprintf("the file is larger than %s, the most one import reads: split it into smaller files", bytesText(max))
}

// bytesText writes a size for people: 3.1 MB, 1.0 GB.
func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
