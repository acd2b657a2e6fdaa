package outpost

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// StatementStore keeps the public statements and their photos. A statement
// goes draft → approved → published; only published statements are ever
// shown to the public, and a published statement no longer changes.
type StatementStore interface {
	// CreateStatement saves a new draft and returns it with its id. The
	// mission, if any, must exist (EINVALID otherwise); Created zero
	// means now.
	CreateStatement(ctx context.Context, s Statement) (Statement, error)
	// EditStatement replaces the title and body of a draft or approved
	// statement; an approved one goes back to draft, to be approved
	// again. ENOTFOUND when there is none, ECONFLICT when it is
	// published.
	EditStatement(ctx context.Context, id int64, title, body string) (Statement, error)
	// ApproveStatement approves a draft at the time at (zero: now);
	// ECONFLICT unless it is a draft.
	ApproveStatement(ctx context.Context, id int64, at time.Time) (Statement, error)
	// PublishStatement makes an approved statement public at the time at
	// (zero: now); ECONFLICT unless it is approved.
	PublishStatement(ctx context.Context, id int64, at time.Time) (Statement, error)
	// Statement returns one statement of any status with its photos'
	// descriptions (not their bytes), or ENOTFOUND.
	Statement(ctx context.Context, id int64) (Statement, error)
	// Statements lists statements with their photos' descriptions:
	// published ones newest publication first, then the others newest
	// first.
	Statements(ctx context.Context, f StatementFilter) ([]Statement, error)
	// AddPhoto attaches a photo to a draft or approved statement (which
	// goes back to draft) after checking it with photo.Check; ECONFLICT
	// when the statement is published or already has MaxPhotos.
	AddPhoto(ctx context.Context, statement int64, p Photo) (PhotoInfo, error)
	// Photo returns one photo of a statement with its bytes, or
	// ENOTFOUND.
	Photo(ctx context.Context, statement, photo int64) (Photo, error)
}

// StatementStatus is where a statement is on its way to the public.
type StatementStatus string

// The statuses of a statement, in the order it passes them.
const (
	StatementDraft     StatementStatus = "draft"
	StatementApproved  StatementStatus = "approved"
	StatementPublished StatementStatus = "published"
)

// StatementStatuses lists every valid StatementStatus, in order.
var StatementStatuses = []string{"draft", "approved", "published"}

// Statement is a public statement of a mission (or of the whole corps
// when Mission is empty), written in Markdown.
type Statement struct {
	ID      int64           `json:"id"`
	Mission string          `json:"mission,omitempty"`
	Title   string          `json:"title"`
	Body    string          `json:"body"`
	Status  StatementStatus `json:"status"`
	Created time.Time       `json:"created"`
	// CreatedBy, ApprovedBy and PublishedBy are the actors of each step.
	CreatedBy   string      `json:"created_by"`
	Updated     time.Time   `json:"updated"`
	Approved    time.Time   `json:"approved,omitzero"`
	ApprovedBy  string      `json:"approved_by,omitempty"`
	Published   time.Time   `json:"published,omitzero"`
	PublishedBy string      `json:"published_by,omitempty"`
	Photos      []PhotoInfo `json:"photos"`
	// Corrected is when the published text was last corrected (zero:
	// never), CorrectionNote what the correction says.
	Corrected      time.Time `json:"corrected,omitzero"`
	CorrectionNote string    `json:"correction_note,omitempty"`
	// Withdrawn is when the statement was withdrawn (zero: it stands),
	// by whom and why.
	Withdrawn       time.Time `json:"withdrawn,omitzero"`
	WithdrawnBy     string    `json:"withdrawn_by,omitempty"`
	WithdrawnReason string    `json:"withdrawn_reason,omitempty"`
}

// IsPublic reports whether the statement may be shown to anyone.
func (s Statement) IsPublic() bool { return s.Status == StatementPublished }

// PhotoInfo describes a photo attached to a statement.
type PhotoInfo struct {
	ID        int64  `json:"id"`
	Statement int64  `json:"statement"`
	Name      string `json:"name"`
	Caption   string `json:"caption,omitempty"`
	// Type is the media type of the stored image: image/jpeg or
	// image/png (a WebP is kept as one of them, see photo.Check).
	Type   string    `json:"type"`
	Size   int       `json:"size"`
	Width  int       `json:"width"`
	Height int       `json:"height"`
	Added  time.Time `json:"added"`
}

// Photo is a photo with its bytes.
type Photo struct {
	PhotoInfo
	Data []byte `json:"-"`
}

// StatementFilter narrows a listing of statements; zero fields do not
// filter.
type StatementFilter struct {
	Mission string
	Status  StatementStatus
	// PublishedFrom and PublishedTo keep statements published in
	// [PublishedFrom, PublishedTo].
	PublishedFrom, PublishedTo time.Time
	Limit                      int
}

// Limits on statements and photos.
const (
	MaxTitle      = 200
	MaxBody       = 100_000
	MaxPhotoBytes = 5 << 20
	MaxPhotos     = 12
	MaxCaption    = 300
	// MaxPhotoSide and MaxPhotoPixels bound a photo's dimensions, read
	// from its header before any pixel is decoded: a few kilobytes can
	// declare a picture whose pixels would fill the server's memory.
	// 40 megapixels holds the photos of any camera within MaxPhotoBytes.
	MaxPhotoSide   = 10_000
	MaxPhotoPixels = 40_000_000
)

// Validate checks the title and body of the statement.
func (s *Statement) Validate() Problems {
	var p Problems
	switch t := strings.TrimSpace(s.Title); {
	case t == "":
		p.Add("title", "", "is required")
	case utf8.RuneCountInString(t) > MaxTitle:
		p.Add("title", "", "is longer than 200 characters")
	case strings.ContainsAny(t, "\r\n"):
		p.Add("title", "", "must be one line")
	default:
		p.Line("title", t, MaxTitle)
	}
	switch {
	case strings.TrimSpace(s.Body) == "":
		p.Add("body", "", "is required (Markdown text)")
	case len(s.Body) > MaxBody:
		p.Add("body", "", "is longer than 100,000 bytes")
	case !utf8.ValidString(s.Body):
		p.Add("body", "", "is not UTF-8 text")
	default:
		if msg := CheckText(s.Body, MaxBody); msg != "" {
			p.Add("body", "", msg)
		}
	}
	if s.Mission != "" && !IsCode(s.Mission) {
		p.Add("mission", s.Mission, "must be a mission code")
	}
	return p
}

// The actions of statements and situation reports. Statements of the
// whole corps (no mission) are the admin's.
var (
	// ReadStatements is reading a mission's statements that are not yet
	// published (published ones are public).
	ReadStatements = Action{"read unpublished statements", ScopeMission, []Role{RoleManager, RoleStaff, RolePress}}
	// DraftStatements is writing and editing a mission's statements and
	// attaching their photos.
	DraftStatements = Action{"draft statements", ScopeMission, []Role{RoleManager, RolePress}}
	// ApproveStatements is approving a mission's statement for publication.
	ApproveStatements = Action{"approve statements", ScopeMission, []Role{RoleManager}}
	// PublishStatements is publishing a mission's approved statement.
	PublishStatements = Action{"publish statements", ScopeMission, []Role{RoleManager, RolePress}}
	// ReadCorpsSitrep is reading the situation report of the whole corps,
	// which holds counts but no one's personal record.
	ReadCorpsSitrep = Action{"read the corps situation report", ScopeCorps, []Role{RoleCoordinator}}
	// ReadMissionSitrep is reading one mission's situation report, which
	// may name its people.
	ReadMissionSitrep = Action{"read a mission's situation report", ScopeMission, []Role{RoleManager, RoleStaff}}
)
