package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// fetchRaw sends a request to a live server without letting the client
// undo any Content-Encoding, and returns the answer with its body as sent.
func fetchRaw(t *testing.T, base, method, target string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, base+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: time.Minute}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("a broken gzip stream: %v", err)
	}
	return out
}

// TestCompression: text answers (HTML, JSON, CSS, SVG, CSV, Atom) go
// gzipped to a client that accepts gzip and plain to one that does not,
// with the same bytes once unzipped; PDFs and tiny answers go plain;
// every answer says Vary: Accept-Encoding; a HEAD says what the GET
// says; a cached stylesheet is still answered 304; and /metrics, which
// compresses itself, is not compressed twice.
func TestCompression(t *testing.T) {
	f := newFixture(t, engines(t)["sqlite"](t))
	ctx := storeCtx()
	rc, err := f.store.StartRollCall(ctx, outpost.RollCall{Title: "Compression"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.store.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Statement",
		Body: strings.Repeat("A statement long enough to be worth compressing. ", 40)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ApproveStatement(ctx, st.ID, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.PublishStatement(ctx, st.ID, testNow); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	cookie := f.session("admin").String()
	token := "Bearer " + f.users["admin"].token

	cases := []struct {
		target, ctype string
		// text is a type to compress; big says the answer is large
		// enough for it here (otherwise it goes plain as tiny).
		text, big bool
	}{
		{"/statements", "text/html", true, true},
		{"/statements.atom", "application/atom+xml", true, true},
		{"/api/v1/openapi.json", "application/json", true, true},
		{"/api/v1/people", "application/json", true, true},
		{"/static/style.css", "text/css", true, true},
		{"/static/favicon.svg", "image/svg+xml", true, false},
		{"/rollcalls/" + strconv.FormatInt(rc.ID, 10) + "/links.csv", "text/csv", true, false},
		{"/api/v1/sitrep?date=2021-04-01&format=pdf", "application/pdf", false, true},
		{"/robots.txt", "text/plain", true, false},
		{"/healthz", "application/json", true, false},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			auth := http.Header{"Cookie": {cookie}}
			if strings.HasPrefix(c.target, "/api/") {
				auth = http.Header{"Authorization": {token}}
			}
			with := func(enc string) http.Header {
				h := auth.Clone()
				if enc != "" {
					h.Set("Accept-Encoding", enc)
				}
				return h
			}
			plainRes, plain := fetchRaw(t, ts.URL, "GET", c.target, with(""))
			if plainRes.StatusCode != 200 || !strings.HasPrefix(plainRes.Header.Get("Content-Type"), c.ctype) {
				t.Fatalf("got %d %q, want 200 %s", plainRes.StatusCode, plainRes.Header.Get("Content-Type"), c.ctype)
			}
			if ce := plainRes.Header.Get("Content-Encoding"); ce != "" {
				t.Errorf("without Accept-Encoding: Content-Encoding %q", ce)
			}
			zres, zbody := fetchRaw(t, ts.URL, "GET", c.target, with("gzip, deflate, br"))
			if !strings.Contains(zres.Header.Get("Vary"), "Accept-Encoding") || !strings.Contains(plainRes.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary: got %q and %q, want Accept-Encoding", zres.Header.Get("Vary"), plainRes.Header.Get("Vary"))
			}
			if c.big != (len(plain) >= compressMinSize) {
				t.Fatalf("the test expects a body of %d bytes to be big=%v", len(plain), c.big)
			}
			want := c.text && c.big
			if got := zres.Header.Get("Content-Encoding") == "gzip"; got != want {
				t.Fatalf("%d bytes of %s: gzipped %v, want %v", len(plain), c.ctype, got, want)
			}
			if !want {
				if !bytes.Equal(zbody, plain) && c.ctype != "application/pdf" {
					t.Errorf("the plain answers differ")
				}
				return
			}
			unzipped := gunzip(t, zbody)
			if !bytes.Equal(unzipped, plain) {
				t.Errorf("unzipped (%d bytes) differs from the plain answer (%d bytes)", len(unzipped), len(plain))
			}
			if len(zbody) >= len(plain) {
				t.Errorf("gzipped %d bytes, plain %d", len(zbody), len(plain))
			}
			if cl := zres.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(zbody)) {
				t.Errorf("Content-Length %s for %d bytes sent", cl, len(zbody))
			}
			if zres.Header.Get("Accept-Ranges") != "" {
				t.Errorf("a gzipped answer offers ranges")
			}
			// A client that refuses gzip gets it plain.
			if res, body := fetchRaw(t, ts.URL, "GET", c.target, with("gzip;q=0, identity")); res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain) {
				t.Errorf("gzip;q=0: got Content-Encoding %q", res.Header.Get("Content-Encoding"))
			}
			// HEAD describes the plain answer (gzhttp compresses no HEAD):
			// no body, and no length other than the plain one.
			hres, hbody := fetchRaw(t, ts.URL, "HEAD", c.target, with("gzip"))
			if cl := hres.Header.Get("Content-Length"); hres.StatusCode != 200 || len(hbody) != 0 ||
				hres.Header.Get("Content-Encoding") != "" || (cl != "" && cl != strconv.Itoa(len(plain))) {
				t.Errorf("HEAD: got %d, %d bytes, Content-Encoding %q, Content-Length %q (plain %d)",
					hres.StatusCode, len(hbody), hres.Header.Get("Content-Encoding"), cl, len(plain))
			}
		})
	}

	t.Run("etag", func(t *testing.T) {
		res, _ := fetchRaw(t, ts.URL, "GET", "/static/style.css", http.Header{"Accept-Encoding": {"gzip"}})
		etag := res.Header.Get("ETag")
		plain, _ := fetchRaw(t, ts.URL, "GET", "/static/style.css", nil)
		if etag == "" || etag == plain.Header.Get("ETag") {
			t.Fatalf("ETag: gzipped %q, plain %q, want two different ones", etag, plain.Header.Get("ETag"))
		}
		for _, tag := range []string{etag, plain.Header.Get("ETag")} {
			res, body := fetchRaw(t, ts.URL, "GET", "/static/style.css", http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {tag}})
			if res.StatusCode != http.StatusNotModified || len(body) != 0 {
				t.Errorf("If-None-Match %s: got %d with %d bytes, want 304", tag, res.StatusCode, len(body))
			}
		}
	})

	t.Run("metrics", func(t *testing.T) {
		res, body := fetchRaw(t, ts.URL, "GET", "/metrics", http.Header{"Authorization": {token}, "Accept-Encoding": {"gzip"}})
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("got %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
		}
		if text := gunzip(t, body); !bytes.Contains(text, []byte("outpost_http_requests_total")) {
			t.Errorf("/metrics unzipped once is not the metrics (compressed twice?)")
		}
	})

	t.Run("robots", func(t *testing.T) {
		res, body := fetchRaw(t, ts.URL, "GET", "/robots.txt", nil)
		if res.StatusCode != 200 || string(body) != "User-agent: *\nDisallow: /\n" {
			t.Errorf("robots.txt: got %d %q", res.StatusCode, body)
		}
	})
}

// TestCompressionTypes: every text type is gzipped once it is large
// enough, and its Content-Length goes.
func TestCompressionTypes(t *testing.T) {
	big := bytes.Repeat([]byte("compressible "), 1000)
	for _, ctype := range append(compressTypes, "text/csv; charset=utf-8", "image/svg+xml", "TEXT/HTML; charset=UTF-8") {
		h := compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write(big)
		}))
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Content-Length") != "" || !bytes.Equal(gunzip(t, rec.Body.Bytes()), big) {
			t.Errorf("%s: got Content-Encoding %q, Content-Length %q", ctype, rec.Header().Get("Content-Encoding"), rec.Header().Get("Content-Length"))
		}
	}
}

// TestCompressionSkipsCompressedTypes: images, PDFs, workbooks and
// archives are sent as they are, however large.
func TestCompressionSkipsCompressedTypes(t *testing.T) {
	big := bytes.Repeat([]byte("compressible "), 1000)
	for _, ctype := range []string{"image/png", "image/jpeg", "image/webp", "application/pdf",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip", "application/octet-stream"} {
		h := compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write(big)
		}))
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), big) || rec.Header().Get("Content-Length") != strconv.Itoa(len(big)) {
			t.Errorf("%s: got Content-Encoding %q, Content-Length %q", ctype, rec.Header().Get("Content-Encoding"), rec.Header().Get("Content-Length"))
		}
	}
}

// BenchmarkCompression measures what gzip costs in server time and saves
// on the wire: answers of the server over the small test corps (twenty
// statements) are captured once, then sent through the compression layer
// plain (the baseline: what the layer costs when it does not compress)
// and gzipped.
//
//	go test ./internal/server -run - -bench Compression -count 5
func BenchmarkCompression(b *testing.B) {
	f := newFixture(b, engines(b)["sqlite"](b))
	ctx := storeCtx()
	for i := range 20 {
		st, err := f.store.CreateStatement(ctx, outpost.Statement{Mission: "RU", Title: "Statement " + strconv.Itoa(i),
			Body: strings.Repeat("A statement of the mission about the situation. ", 20)})
		if err != nil {
			b.Fatal(err)
		}
		f.store.ApproveStatement(ctx, st.ID, testNow)
		f.store.PublishStatement(ctx, st.ID, testNow)
	}
	token := "Bearer " + f.users["admin"].token
	for _, target := range []string{"/statements", "/statements.atom", "/api/v1/openapi.json", "/api/v1/people", "/static/style.css"} {
		req := httptest.NewRequest("GET", target, nil)
		req.RemoteAddr = "192.0.2.1:1234"
		req.Header.Set("Authorization", token)
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%s: %d", target, rec.Code)
		}
		body, ctype := rec.Body.Bytes(), rec.Header().Get("Content-Type")
		h := compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Write(body)
		}))
		name := strings.ReplaceAll(strings.TrimPrefix(target, "/"), "/", "_")
		for _, enc := range []string{"identity", "gzip"} {
			b.Run(name+"/"+enc, func(b *testing.B) {
				var sent int
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					req := httptest.NewRequest("GET", target, nil)
					req.Header.Set("Accept-Encoding", enc)
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					sent = rec.Body.Len()
				}
				b.ReportMetric(float64(sent), "bytes/answer")
			})
		}
	}
}
