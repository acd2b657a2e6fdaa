package registry

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
)

// EditExitDocuments is recording a mission's people's exit documents:
// their passport's expiry, exit permit, quarantine and choice to stay.
var EditExitDocuments = outpost.Action{Name: "record exit documents", Scope: outpost.ScopeMission,
	Roles: []outpost.Role{outpost.RoleManager, outpost.RoleStaff}}

// withExitDocs attaches the person's recorded exit documents to p for a
// caller who may read p, the passport's expiry removed unless the caller
// may read the mission's passports; nothing when none are recorded.
func withExitDocs(ctx context.Context, s outpost.ExitDocStore, caller outpost.User, p *outpost.Person) error {
	d, err := s.ExitDocuments(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("read exit documents of %s: %w", p.ID, err)
	}
	if !caller.Can(outpost.ReadPassports, p.Mission) {
		d.PassportExpiry = ""
	}
	if !d.IsZero() {
		p.Documents = &d
	}
	return nil
}

// ExitDocValues returns exit documents as the columns of a people file
// (outpost.ExitDocColumns), those of cols only (nil: every one), as an
// import of them is written: a preview compares them.
func ExitDocValues(d outpost.ExitDocuments, cols []string) map[string]string {
	all := map[string]string{"sex": d.Sex, "passport_expiry": string(d.PassportExpiry), "permit_status": d.PermitStatus,
		"permit_number": d.PermitNumber, "permit_from": string(d.PermitFrom), "permit_to": string(d.PermitTo),
		"permit_authority": d.PermitAuthority, "quarantine_until": string(d.QuarantineUntil),
		"staying": strconv.FormatBool(d.Staying)}
	if cols == nil {
		return all
	}
	out := make(map[string]string, len(cols))
	for _, c := range cols {
		out[c] = all[c]
	}
	return out
}

// ExitDocuments returns the exit documents of a person the caller may
// edit them for (the form's current values, passport expiry included);
// a person of another mission is ENOTFOUND.
func (s *Service) ExitDocuments(ctx context.Context, caller outpost.User, id string) (outpost.Person, outpost.ExitDocuments, error) {
	p, err := s.mayEditExitDocs(ctx, caller, id)
	if err != nil {
		return p, outpost.ExitDocuments{}, err
	}
	d, err := s.store.ExitDocuments(ctx, p.ID)
	if err != nil {
		return p, d, fmt.Errorf("read exit documents of %s: %w", p.ID, err)
	}
	return p, d, nil
}

// SetExitDocuments records a person's exit documents with the rules of
// the people import (outpost.ExitDocuments.Validate), audited with both
// versions as the caller. A refusal names the field: EINVALID
// "permit_to: is before permit_from 2021-03-01 (got "2021-02-01")".
func (s *Service) SetExitDocuments(ctx context.Context, caller outpost.User, d outpost.ExitDocuments) error {
	p, err := s.mayEditExitDocs(ctx, caller, d.Person)
	if err != nil {
		return err
	}
	d.Person = p.ID
	d.Sex = strings.TrimSpace(d.Sex)
	d.PermitNumber = strings.TrimSpace(d.PermitNumber)
	d.PermitAuthority = strings.TrimSpace(d.PermitAuthority)
	if probs := d.Validate(); len(probs) > 0 {
		var msgs []string
		for _, f := range probs {
			msg := f.Field + ": " + f.Message
			if f.Got != "" {
				msg += fmt.Sprintf(" (got %q)", f.Got)
			}
			msgs = append(msgs, msg)
		}
		return outpost.Errorf(outpost.EINVALID, "%s", strings.Join(msgs, "; "))
	}
	if err := s.store.SetExitDocuments(outpost.WithActor(ctx, caller.Name), d); err != nil {
		return fmt.Errorf("record exit documents of %s: %w", p.ID, err)
	}
	return nil
}

// mayEditExitDocs returns the person when the caller may edit their exit
// documents: ENOTFOUND when the caller may not read them at all,
// EFORBIDDEN when they may read but not edit.
func (s *Service) mayEditExitDocs(ctx context.Context, caller outpost.User, id string) (outpost.Person, error) {
	p, err := Readable(ctx, s.store, caller, id)
	if err != nil {
		return p, err
	}
	if !caller.Can(EditExitDocuments, p.Mission) {
		return p, outpost.Errorf(outpost.EFORBIDDEN, "your role (%s) may not record exit documents", caller.Role)
	}
	return p, nil
}
