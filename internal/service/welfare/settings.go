package welfare

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/outpost"
)

// ConfigReader reads the post's settings; outpost.RegistryStore is one.
type ConfigReader interface {
	Config(ctx context.Context, key string) (string, error)
}

// ConfigStore reads and writes the post's settings.
type ConfigStore interface {
	ConfigReader
	SetConfig(ctx context.Context, key, value string) error
	InitConfig(ctx context.Context, key, value string) (string, error)
}

// secretKey is the setting that holds the post's link secret, in hex.
const secretKey = "link_secret"

// LinkSecret returns the post's secret for check-in links, creating it on
// first use (a write, audited as the context's actor).
func LinkSecret(ctx context.Context, s ConfigStore) ([]byte, error) {
	secret, err := ReadLinkSecret(ctx, s)
	if err != nil || secret != nil {
		return secret, err
	}
	b := make([]byte, 32)
	rand.Read(b)
	// Another server on the database may be making it at this moment:
	// whichever is stored first is the secret of both.
	held, err := s.InitConfig(ctx, secretKey, hex.EncodeToString(b))
	if err != nil {
		return nil, fmt.Errorf("store the link secret: %w", err)
	}
	if b, err = hex.DecodeString(held); err != nil {
		return nil, outpost.Errorf(outpost.EINTERNAL, "the setting %s is not hex", secretKey)
	}
	return b, nil
}

// ReadLinkSecret returns the post's link secret, nil when none was made
// yet (then no link is valid).
func ReadLinkSecret(ctx context.Context, s ConfigReader) ([]byte, error) {
	v, err := s.Config(ctx, secretKey)
	if err != nil {
		return nil, fmt.Errorf("read the link secret: %w", err)
	}
	if v == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(v)
	if err != nil {
		return nil, outpost.Errorf(outpost.EINTERNAL, "the setting %s is not hex", secretKey)
	}
	return b, nil
}

// LinksHeader is the header row of the link export.
var LinksHeader = []string{"person", "given_name", "family_name", "mission", "link"}

// WriteLinks writes the link export of a roll call as CSV: one row per
// person given, with their one-tap check-in link. A cell a spreadsheet
// would run as a formula (a name such as =HYPERLINK(…)) starts with a
// single quote.
func WriteLinks(w io.Writer, l Links, rollcall int64, people []outpost.ScopeEntry) error {
	cw := export.NewCSV(w)
	if err := cw.Write(LinksHeader); err != nil {
		return fmt.Errorf("links: %w", err)
	}
	for _, s := range people {
		if err := cw.Write([]string{s.Person, s.GivenName, s.FamilyName, s.Mission, l.URL(rollcall, s.Person)}); err != nil {
			return fmt.Errorf("links: %w", err)
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("links: %w", err)
	}
	return nil
}

// Notifiers builds the escalation channels from the post's settings:
// notify.smtp (host:port) with notify.from, notify.helo (the name the
// client greets the server with; default the host's name), notify.tls
// (when TLS is required: auto, required or opportunistic) and the
// recipients
// notify.email.MISSION or, for every mission, notify.email (several
// separated by commas or spaces); notify.webhook with
// notify.webhook_secret. No setting, no channel. A webhook whose secret
// is missing or too short is still returned: it refuses every notice
// with an error saying why, so the failure shows in the logs rather than
// the channel vanishing.
func Notifiers(ctx context.Context, s ConfigReader) ([]Notifier, error) {
	keys := []string{"notify.smtp", "notify.from", "notify.helo", "notify.tls", "notify.email", "notify.webhook", "notify.webhook_secret"}
	got := map[string]string{}
	for _, k := range keys {
		v, err := s.Config(ctx, k)
		if err != nil {
			return nil, fmt.Errorf("read config %s: %w", k, err)
		}
		got[k] = v
	}
	var out []Notifier
	if addr := got["notify.smtp"]; addr != "" {
		from := got["notify.from"]
		if from == "" {
			from = "outpost@localhost"
		}
		out = append(out, SMTP{Addr: addr, From: from, HELO: got["notify.helo"], Security: got["notify.tls"], To: func(m string) []string {
			// Read when a notice goes out, so a mission's own address can
			// be set without restarting the server.
			to, _ := s.Config(ctx, "notify.email."+m)
			if to == "" {
				to = got["notify.email"]
			}
			return strings.Fields(strings.ReplaceAll(to, ",", " "))
		}})
	}
	if url := got["notify.webhook"]; url != "" {
		out = append(out, Webhook{URL: url, Secret: []byte(got["notify.webhook_secret"])})
	}
	return out, nil
}
