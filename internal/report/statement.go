package report

import (
	"bytes"
	"html"
	"html/template"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// The Markdown converter and the HTML policies are built once and only
// read afterwards.
var (
	markdown = sync.OnceValue(func() goldmark.Markdown {
		// Without html.WithUnsafe, goldmark leaves raw HTML out and drops
		// links to dangerous schemes (javascript:, vbscript:, file:).
		return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
	})
	// statementPolicy is what a statement's HTML may hold after goldmark:
	// the usual formatting, links and images to http(s) or this site,
	// no scripts, styles, event handlers or frames.
	statementPolicy = sync.OnceValue(func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireNoFollowOnLinks(true)
		p.RequireNoReferrerOnLinks(true)
		return p
	})
	stripPolicy = sync.OnceValue(bluemonday.StrictPolicy)
)

// StatementHTML renders a statement's Markdown body as HTML that is safe
// to put in a page: raw HTML in the Markdown is dropped, links may only
// go to http, https and mailto addresses (or this site), and what
// remains is sanitised once more with an allow-list policy.
func StatementHTML(body string) template.HTML {
	var b bytes.Buffer
	if err := markdown().Convert([]byte(body), &b); err != nil {
		// goldmark only fails when the writer does; show the text.
		return template.HTML(template.HTMLEscapeString(body))
	}
	return template.HTML(statementPolicy().SanitizeBytes(b.Bytes()))
}

// StatementText returns a statement's body as plain text on one line,
// cut at a word boundary to at most max characters (with an ellipsis):
// for feeds' summaries, listings and reports.
func StatementText(body string, max int) string {
	var b bytes.Buffer
	if err := markdown().Convert([]byte(body), &b); err != nil {
		return ""
	}
	// Block ends become spaces, so that paragraphs do not run together.
	text := strings.NewReplacer("</p>", " ", "</li>", " ", "</h1>", " ", "</h2>", " ", "</h3>", " ", "<br>", " ", "<br/>", " ", "</td>", " ", "</blockquote>", " ").
		Replace(b.String())
	text = html.UnescapeString(stripPolicy().Sanitize(text))
	text = strings.Join(strings.Fields(text), " ")
	if max <= 0 || utf8.RuneCountInString(text) <= max {
		return text
	}
	r := []rune(text)[:max]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-–—") + "…"
}
