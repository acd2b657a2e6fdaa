package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/outpost-org/outpost/internal/auth"
	"github.com/outpost-org/outpost/internal/outpost"
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/statements"
	"github.com/outpost-org/outpost/internal/transport"
)

// StatementListPage is the data of the public list of statements.
type StatementListPage struct {
	Statements []statements.PublicStatement
	// Loc is the post's time zone, in which dates are shown to everyone.
	Loc *time.Location
}

// StatementPage is the data of a published statement's public page.
type StatementPage struct {
	Statement statements.PublicStatement
	Loc       *time.Location
	History   StatementHistory
}

// feedSize is how many statements the Atom feed carries.
const feedSize = 50

// statementPages are the public statements: their list, each one with its
// photos, and the Atom feed. None needs signing in, and none ever shows a
// statement that is not published.
func (h *Web) statementPages() []Page {
	return []Page{
		{Method: "GET", Path: "/statements", Public: true, Handler: h.statements},
		{Method: "GET", Path: "/statements/{id}", Public: true, Handler: h.statement},
		{Method: "GET", Path: "/statements/{id}/photos/{photo}", Public: true, Handler: h.statementPhoto},
		{Method: "GET", Path: "/statements.atom", Public: true, Handler: h.statementFeed},
	}
}

// published lists the published statements in their public form.
func (h *Web) published(r *http.Request, limit int) ([]statements.PublicStatement, error) {
	return h.Statements.PublishedList(r.Context(), transport.Caller(r), "", limit)
}

func (h *Web) statements(w http.ResponseWriter, r *http.Request) error {
	list, err := h.published(r, 200)
	if err != nil {
		return err
	}
	loc, err := censusservice.Location(r.Context(), h.Store)
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "statements_list", StatementListPage{Statements: list, Loc: loc})
}

func (h *Web) statement(w http.ResponseWriter, r *http.Request) error {
	id, err := statements.ID(r.PathValue("id"))
	if err != nil {
		return err
	}
	st, err := h.Statements.Published(r.Context(), transport.Caller(r), id)
	if err != nil {
		return err
	}
	loc, err := censusservice.Location(r.Context(), h.Store)
	if err != nil {
		return err
	}
	hist, err := h.statementHistory(r, st, loc)
	if err != nil {
		return err
	}
	return h.Render(w, r, http.StatusOK, "statements_show", StatementPage{Statement: st, Loc: loc, History: hist})
}

// servePhoto writes a photo's bytes with the type read from its content.
// A saved copy is named after the statement and the photo, never after
// the file that was uploaded, whose name may say more than its caption.
func servePhoto(w http.ResponseWriter, p outpost.Photo, cache string) {
	ext := ".png"
	if p.Type == "image/jpeg" {
		ext = ".jpg"
	}
	w.Header().Set("Content-Type", p.Type)
	w.Header().Set("Content-Length", strconv.Itoa(len(p.Data)))
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="statement-%d-photo-%d%s"`, p.Statement, p.ID, ext))
	w.Write(p.Data)
}

func (h *Web) statementPhoto(w http.ResponseWriter, r *http.Request) error {
	p, err := photoOf(r, h.Statements.PublishedPhoto, func(id int64) error {
		_, err := h.Statements.Published(r.Context(), transport.Caller(r), id)
		return err
	})
	if err != nil {
		return err
	}
	// A published statement and its photos no longer change.
	servePhoto(w, p, "public, max-age=86400")
	return nil
}

// photoOf finds the photo a request's path names with find. A photo id
// that is none answers after the statement's own answer: whether the
// statement may be seen (see) is told first, as for any photo.
func photoOf(r *http.Request, find func(ctx context.Context, caller outpost.User, statement, photo int64) (outpost.Photo, error),
	see func(statement int64) error) (outpost.Photo, error) {
	id, err := statements.ID(r.PathValue("id"))
	if err != nil {
		return outpost.Photo{}, err
	}
	photo, perr := statements.PhotoID(r.PathValue("photo"))
	if perr != nil {
		if err := see(id); err != nil {
			return outpost.Photo{}, err
		}
		return outpost.Photo{}, perr
	}
	return find(r.Context(), transport.Caller(r), id, photo)
}

// statementFeed writes the Atom 1.0 feed of the published statements,
// newest first. Its ids are fixed (statements.Service.Feed) and its links
// start with the public URL, or are relative to the feed's own address
// when none is configured: nothing in it comes from the request's Host
// or X-Forwarded-Proto, which any client (or a cache poisoned by one)
// could set to another site.
func (h *Web) statementFeed(w http.ResponseWriter, r *http.Request) error {
	list, err := h.published(r, feedSize)
	if err != nil {
		return err
	}
	public := auth.PublicURL(r)
	ids, err := h.Statements.Feed(r.Context(), public)
	if err != nil {
		return err
	}
	loc, err := censusservice.Location(r.Context(), h.Store)
	if err != nil {
		return err
	}
	b, err := AtomFeed(list, ids, public, h.Now(), loc)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, err = w.Write(b)
	return err
}

// attrEscaper escapes text for HTML, in an attribute or not, with the
// named references feed readers know best (&quot; rather than &#34;).
var attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// AtomFeed writes published statements as an Atom 1.0 feed (RFC 4287).
// Its ids come from ids; its links start with base, the public URL
// ("https://outpost.example"), or are relative references ("/statements/3",
// resolved against the feed's address, RFC 4287 section 2) when base is
// "". Each entry has the statement's page as its alternate link, its
// mission as author, a plain-text summary, and its body as sanitised HTML
// with its photos. now dates a feed that has no entry yet. A corrected
// or withdrawn statement keeps its entry's id: its <updated> is the
// correction's or the withdrawal's, and its title and summary say so,
// dated in loc, the post's zone (see correctedEntry).
func AtomFeed(list []statements.PublicStatement, ids statements.FeedIdentity, base string, now time.Time, loc *time.Location) ([]byte, error) {
	updated := now.UTC()
	if len(list) > 0 {
		updated = list[0].Published.UTC()
		for _, s := range list {
			if u := entryUpdated(s); u.After(updated) {
				updated = u
			}
		}
	}
	feed := &feeds.AtomFeed{
		Xmlns:    "http://www.w3.org/2005/Atom",
		Title:    "Statements of the diplomatic corps",
		Subtitle: "Public statements published with Outpost",
		Id:       ids.FeedID(),
		Updated:  updated.Format(time.RFC3339),
		Link:     &feeds.AtomLink{Href: base + "/statements.atom", Rel: "self", Type: "application/atom+xml"},
		Author:   &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: "Diplomatic corps", Uri: base + "/statements"}},
	}
	for _, s := range list {
		page := base + statements.StatementPath(s.ID)
		author := s.MissionName
		if author == "" {
			author = "Diplomatic corps"
		}
		var content bytes.Buffer
		content.WriteString(string(s.HTML))
		for _, p := range s.Photos {
			fmt.Fprintf(&content, `<figure><img src="%s" width="%d" height="%d" alt="%s"><figcaption>%s</figcaption></figure>`,
				attrEscaper.Replace(base+p.URL), p.Width, p.Height, attrEscaper.Replace(p.Caption), attrEscaper.Replace(p.Caption))
		}
		published := s.Published.UTC().Format(time.RFC3339)
		title, summary, html := correctedEntry(s, loc, content.String())
		feed.Entries = append(feed.Entries, &feeds.AtomEntry{
			Title:     title,
			Id:        ids.EntryID(s.ID, s.Published),
			Updated:   entryUpdated(s).Format(time.RFC3339),
			Published: published,
			Links:     []feeds.AtomLink{{Href: page, Rel: "alternate", Type: "text/html"}},
			Summary:   &feeds.AtomSummary{Content: summary, Type: "text"},
			Content:   &feeds.AtomContent{Content: html, Type: "html"},
			Author:    &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: author}},
		})
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}
