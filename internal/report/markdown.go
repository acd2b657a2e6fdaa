package report

import (
	"bufio"
	"io"
	"strings"
)

// mdEscaper backslash-escapes the characters that Markdown would read as
// formatting or raw HTML, so that text from the data prints as written.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, "\r\n", " ", "\n", " ", "\r", " ",
)

func mdText(s string) string { return mdEscaper.Replace(s) }

// Markdown writes the report as GitHub-flavoured Markdown: headings,
// bullet lists and pipe tables, without the charts.
func Markdown(w io.Writer, in Input) error {
	d := build(in)
	b := bufio.NewWriter(w)
	p := func(s ...string) {
		for _, x := range s {
			b.WriteString(x)
		}
		b.WriteByte('\n')
	}
	p("# ", d.Title, ": ", mdText(d.Scope))
	p()
	p("**", mdText(d.DateLine), "**")
	if d.Generated != "" {
		p()
		p("_", mdText(d.Generated), "_")
	}
	p()
	p("## Summary")
	p()
	for _, s := range d.Summary {
		p("- ", mdText(s))
	}
	for _, s := range d.Sections {
		p()
		p("## ", mdText(s.Title))
		for _, bl := range s.Blocks {
			switch bl.Kind {
			case bPara:
				p()
				p(mdText(bl.Text))
			case bNote:
				p()
				p("_", mdText(bl.Text), "_")
			case bHeading:
				p()
				p("### ", mdText(bl.Text))
			case bTable:
				p()
				mdTable(p, bl.Table)
			}
		}
	}
	p()
	p("---")
	p()
	p("_Figures are at the end of the day in the post's time zone; a change compares with the end of the day before._")
	return b.Flush()
}

func mdTable(p func(...string), t *table) {
	head, rule := []string{}, []string{}
	for _, c := range t.Cols {
		head = append(head, mdText(c.Title))
		if c.Num {
			rule = append(rule, "---:")
		} else {
			rule = append(rule, "---")
		}
	}
	p("| ", strings.Join(head, " | "), " |")
	p("|", strings.Join(rule, "|"), "|")
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			s := mdText(c.Text)
			if c.Warn {
				s = "**" + s + "**"
			}
			if c.Link != "" {
				s = "[" + s + "](" + strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(c.Link) + ")"
			}
			cells[i] = s
		}
		p("| ", strings.Join(cells, " | "), " |")
	}
}
