package report

import (
	"strings"
	"testing"
)

func TestStatementHTMLNeutralisesInjection(t *testing.T) {
	cases := []struct {
		name, body string
		// absent must not appear in the HTML (case-insensitive); present
		// must.
		absent, present []string
	}{
		{"script element", "Hello <script>alert('x')</script> world",
			[]string{"<script", "alert('x')</script"}, []string{"Hello"}},
		{"script block", "<script>\nalert(1)\n</script>\n\nAfter.",
			[]string{"<script", "alert(1)"}, []string{"After."}},
		{"javascript link", "[click](javascript:alert(1))",
			[]string{"javascript:", "href=\"javascript"}, []string{"click"}},
		{"javascript link, mixed case and entities", "[x](JaVaScRiPt&#58;alert(1)) [y](  javascript:alert(2))",
			[]string{"javascript:", "alert(1)\""}, nil},
		{"autolink", "<javascript:alert(1)>", []string{"href=\"javascript"}, nil},
		{"event handler", `<img src="x.png" onerror="alert(1)">`, []string{"onerror", "<img"}, nil},
		{"event handler in a div", `<div onclick="alert(1)">text</div>`, []string{"onclick", "<div"}, nil},
		{"raw iframe", `<iframe src="https://evil.example"></iframe>`, []string{"<iframe"}, nil},
		{"style", `<style>body{display:none}</style>`, []string{"<style", "display:none"}, nil},
		{"data URL link", `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`, []string{"data:text/html"}, nil},
		{"vbscript", `[x](vbscript:msgbox(1))`, []string{"vbscript:"}, nil},
		{"markdown image with handler", `![a" onerror="alert(1)](x.png)`, []string{"onerror=\""}, nil},
		{"safe markdown", "# Title\n\nFewer than **290** remain. See [the ministry](https://mid.ru/).",
			nil, []string{"<h1", "<strong>290</strong>", `href="https://mid.ru/"`, `rel="nofollow noreferrer"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(StatementHTML(c.body))
			low := strings.ToLower(got)
			for _, a := range c.absent {
				if strings.Contains(low, strings.ToLower(a)) {
					t.Errorf("got %q, want no %q in it", got, a)
				}
			}
			for _, p := range c.present {
				if !strings.Contains(got, p) {
					t.Errorf("got %q, want %q in it", got, p)
				}
			}
		})
	}
}

func TestStatementText(t *testing.T) {
	cases := []struct {
		body string
		max  int
		want string
	}{
		{"# Head\n\nFirst *para*.\n\nSecond <b>bold</b> & more.", 0, "Head First para. Second bold & more."},
		{"one two three four five six", 12, "one two…"},
		{"<script>alert(1)</script>\n\nPlain", 0, "Plain"},
		{"short", 100, "short"},
	}
	for _, c := range cases {
		if got := StatementText(c.body, c.max); got != c.want {
			t.Errorf("StatementText(%q, %d): got %q, want %q", c.body, c.max, got, c.want)
		}
	}
}
