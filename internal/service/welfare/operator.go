package welfare

import (
	"context"
	"fmt"

	"github.com/outpost-org/outpost/internal/outpost"
)

// The methods below are the command line's: they act for the whole post
// (its operator holds the database), take typed arguments, and pass the
// store's own answers on — the existence of a record is no secret from
// the operator, so nothing is hidden as it is over the API and the web.

// wholePost refuses a caller who may not do a for every mission.
func wholePost(u outpost.User, a outpost.Action) error {
	if !u.Can(a, "") {
		return outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not %s for the whole post", u.Role, a.Name)
	}
	return nil
}

// Start starts a roll call over everyone in the country (rc.Mission "")
// or one mission's people.
func (s *Service) Start(ctx context.Context, u outpost.User, rc outpost.RollCall) (outpost.RollCall, error) {
	if err := mayRun(u, rc.Mission); err != nil {
		return outpost.RollCall{}, err
	}
	v, err := s.store.StartRollCall(outpost.WithActor(ctx, u.Name), rc)
	if err != nil {
		return v, fmt.Errorf("start roll call: %w", err)
	}
	return v, nil
}

// CheckIn records one answer directly, in its own transaction.
func (s *Service) CheckIn(ctx context.Context, u outpost.User, c outpost.Checkin) error {
	if err := wholePost(u, RecordAnswers); err != nil {
		return err
	}
	errs, err := s.store.CheckIn(outpost.WithActor(ctx, u.Name), []outpost.Checkin{c})
	if err != nil {
		return fmt.Errorf("check in: %w", err)
	}
	return errs[0]
}

// Report counts a roll call's answers and names who answered what.
func (s *Service) Report(ctx context.Context, u outpost.User, id int64) (outpost.RollCallReport, error) {
	if err := wholePost(u, ReadAnswers); err != nil {
		return outpost.RollCallReport{}, err
	}
	v, err := s.store.RollCallReport(ctx, id)
	if err != nil {
		return v, fmt.Errorf("read roll call report %d: %w", id, err)
	}
	return v, nil
}

// Close closes a roll call: it takes no more answers.
func (s *Service) Close(ctx context.Context, u outpost.User, id int64) (outpost.RollCall, error) {
	if err := wholePost(u, RunRollCalls); err != nil {
		return outpost.RollCall{}, err
	}
	v, err := s.store.CloseRollCall(outpost.WithActor(ctx, u.Name), id)
	if err != nil {
		return v, fmt.Errorf("close roll call %d: %w", id, err)
	}
	return v, nil
}

// List lists the roll calls that include mission ("" every one), newest
// first.
func (s *Service) List(ctx context.Context, u outpost.User, mission string) ([]outpost.RollCall, error) {
	if err := wholePost(u, ReadRollCalls); err != nil {
		return nil, err
	}
	v, err := s.store.RollCalls(ctx, mission)
	if err != nil {
		return v, fmt.Errorf("read roll calls %s: %w", mission, err)
	}
	return v, nil
}

// LinkSheet returns the check-in links under baseURL and the people of
// a roll call, for WriteLinks; the post's link secret is made on first
// use.
func (s *Service) LinkSheet(ctx context.Context, u outpost.User, id int64, baseURL string) (Links, []outpost.ScopeEntry, error) {
	if err := wholePost(u, ExportLinks); err != nil {
		return Links{}, nil, err
	}
	ctx = outpost.WithActor(ctx, u.Name)
	if _, err := s.store.RollCall(ctx, id); err != nil {
		return Links{}, nil, fmt.Errorf("read roll call %d: %w", id, err)
	}
	secret, err := LinkSecret(ctx, s.store)
	if err != nil {
		return Links{}, nil, err
	}
	scope, err := s.store.RollCallScope(ctx, id)
	if err != nil {
		return Links{}, nil, fmt.Errorf("read roll call scope %d: %w", id, err)
	}
	return Links{Secret: secret, BaseURL: baseURL}, scope, nil
}

// Escalate sends the non-responders of the roll calls past their
// escalation time through the channels of the settings (see Escalate).
func (s *Service) Escalate(ctx context.Context, u outpost.User) ([]Notice, error) {
	if err := wholePost(u, RunRollCalls); err != nil {
		return nil, err
	}
	ctx = outpost.WithActor(ctx, u.Name)
	notifiers, err := Notifiers(ctx, s.store)
	if err != nil {
		return nil, err
	}
	return Escalate(ctx, s.store, s.Now(), notifiers)
}

// SetNotify stores the escalation settings of set, in the order of keys,
// once the webhook would still have a usable secret.
func (s *Service) SetNotify(ctx context.Context, u outpost.User, set map[string]string, keys []string) error {
	if err := wholePost(u, RunRollCalls); err != nil {
		return err
	}
	ctx = outpost.WithActor(ctx, u.Name)
	if err := checkWebhookSettings(ctx, s.store, set); err != nil {
		return err
	}
	if err := checkMailSettings(set); err != nil {
		return err
	}
	for _, k := range keys {
		if v, ok := set[k]; ok {
			if err := s.store.SetConfig(ctx, k, v); err != nil {
				return fmt.Errorf("set config %s: %w", k, err)
			}
		}
	}
	return nil
}

// Notify returns the escalation settings of keys, in their order.
func (s *Service) Notify(ctx context.Context, u outpost.User, keys []string) ([]string, error) {
	if err := wholePost(u, RunRollCalls); err != nil {
		return nil, err
	}
	values := make([]string, len(keys))
	for i, k := range keys {
		v, err := s.store.Config(ctx, k)
		if err != nil {
			return nil, fmt.Errorf("read config %s: %w", k, err)
		}
		values[i] = v
	}
	return values, nil
}

// checkMailSettings refuses a sender that is not an address (every
// message would then be refused by the mail server, found out only when
// a roll call escalates) and a greeting name that is not a host name.
func checkMailSettings(set map[string]string) error {
	if from := set["notify.from"]; from != "" {
		if _, err := ParseFrom(from); err != nil {
			return outpost.Errorf(outpost.EINVALID, "--from: %v", err)
		}
	}
	if v := set["notify.tls"]; !ValidTLSSetting(v) {
		return outpost.Errorf(outpost.EINVALID, "--tls %q: want auto, required or opportunistic", v)
	}
	if helo := set["notify.helo"]; helo != "" && !validHELO(helo) {
		return outpost.Errorf(outpost.EINVALID, "--helo %q: want the host's name, such as outpost.post.example", helo)
	}
	return nil
}

// checkWebhookSettings refuses webhook settings that would, once stored,
// leave a webhook without a usable secret. It looks only when a webhook
// setting changes, so that other settings can still be changed.
func checkWebhookSettings(ctx context.Context, db ConfigReader, set map[string]string) error {
	address, changedAddress := set["notify.webhook"]
	secret, changedSecret := set["notify.webhook_secret"]
	if !changedAddress && !changedSecret {
		return nil
	}
	var err error
	if !changedAddress {
		if address, err = db.Config(ctx, "notify.webhook"); err != nil {
			return fmt.Errorf("reading notify.webhook: %w", err)
		}
	}
	if !changedSecret {
		if secret, err = db.Config(ctx, "notify.webhook_secret"); err != nil {
			return fmt.Errorf("reading notify.webhook_secret: %w", err)
		}
	}
	if changedSecret && secret != "" {
		if err := CheckWebhookSecret(secret); err != nil {
			return err
		}
	}
	return CheckWebhookSettings(address, secret)
}

// Open opens a medical case for a person.
func (s *Service) Open(ctx context.Context, u outpost.User, c outpost.MedicalCase) (outpost.MedicalCase, error) {
	if err := wholePost(u, ManageCases); err != nil {
		return outpost.MedicalCase{}, err
	}
	v, err := s.store.OpenCase(outpost.WithActor(ctx, u.Name), c)
	if err != nil {
		return v, fmt.Errorf("open case: %w", err)
	}
	return v, nil
}

// Update changes an open medical case.
func (s *Service) Update(ctx context.Context, u outpost.User, id int64, up outpost.CaseUpdate) (outpost.MedicalCase, error) {
	if err := wholePost(u, ManageCases); err != nil {
		return outpost.MedicalCase{}, err
	}
	v, err := s.store.UpdateCase(outpost.WithActor(ctx, u.Name), id, up)
	if err != nil {
		return v, fmt.Errorf("update case %d: %w", id, err)
	}
	return v, nil
}

// Resolve closes a medical case.
func (s *Service) Resolve(ctx context.Context, u outpost.User, id int64) (outpost.MedicalCase, error) {
	if err := wholePost(u, ManageCases); err != nil {
		return outpost.MedicalCase{}, err
	}
	v, err := s.store.CloseCase(outpost.WithActor(ctx, u.Name), id)
	if err != nil {
		return v, fmt.Errorf("close case %d: %w", id, err)
	}
	return v, nil
}

// ListCases lists the medical cases of f, most urgent first.
func (s *Service) ListCases(ctx context.Context, u outpost.User, f outpost.CaseFilter) ([]outpost.MedicalCase, error) {
	if err := wholePost(u, ReadCases); err != nil {
		return nil, err
	}
	v, err := s.store.Cases(ctx, f)
	if err != nil {
		return v, fmt.Errorf("read cases: %w", err)
	}
	return v, nil
}
