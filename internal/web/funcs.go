package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// funcs are the functions templates may call.
func (h *Web) funcs() template.FuncMap {
	return template.FuncMap{
		"static":   h.staticURL,
		"num":      outpost.Thousands,
		"date":     func(loc *time.Location, t time.Time) string { return t.In(loc).Format("2 Jan 2006") },
		"datetime": func(loc *time.Location, t time.Time) string { return t.In(loc).Format("2 Jan 2006, 15:04") },
		"isodate":  func(loc *time.Location, t time.Time) string { return t.In(loc).Format(time.DateOnly) },
		"label":    label,
		"mapsvg":   mapSVG,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"list":    func(v ...int) []int { return v },
		"query":   query,
		"mayEdit": mayEdit,
		"plural":  outpost.Plural,
		"medical": func(level int) string {
			return [...]string{"none", "chronic needs", "care not available locally", "urgent evacuation"}[max(0, min(level, 3))]
		},
	}
}

// staticURL returns the address of a static file with its content hash,
// so that browsers may keep it for a year and still see a new version.
func (h *Web) staticURL(name string) (string, error) {
	sum, ok := h.static[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + name + "?v=" + sum, nil
}

// label turns a code such as in_country into words: "In country".
func label(v any) string {
	s := strings.ReplaceAll(fmt.Sprint(v), "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// query builds "?k=v&…" from pairs, leaving out empty values.
func query(pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	if len(v) == 0 {
		return "?"
	}
	return "?" + v.Encode()
}

// StaticPages serve the stylesheet and icons.
func (h *Web) staticPages() []Page {
	return []Page{{Method: "GET", Path: "/static/{file...}", Public: true, Handler: h.serveStatic}}
}

func (h *Web) serveStatic(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	sum, ok := h.static[name]
	if !ok {
		return outpost.Errorf(outpost.ENOTFOUND, "There is no file %s.", name)
	}
	if r.URL.Query().Get("v") == sum {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+sum+`"`)
	// The server's compression sends a gzipped file with the ETag
	// "SUM-gzip": a client that cached it asks If-None-Match with that
	// one, which is the same file.
	if inm := r.Header.Get("If-None-Match"); strings.Contains(inm, `-gzip"`) {
		r.Header.Set("If-None-Match", strings.ReplaceAll(inm, `-gzip"`, `"`))
	}
	http.ServeFileFS(w, r, staticFS, "static/"+name)
	return nil
}
