package main

import (
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
)

func TestRollCallFromTheCommandLine(t *testing.T) {
	for name, mk := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := mk(t)
			seedCLI(t, db)
			out := mustCLI(t, db, "rollcall", "start", "Morning check", "--mission", "RU")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			id := lines[len(lines)-1]
			mustCLI(t, db, "rollcall", "checkin", id, "RU-0001", "need_help")
			mustCLI(t, db, "rollcall", "checkin", id, "RU-0001", "safe")
			mustCLI(t, db, "rollcall", "checkin", id, "RU-0002", "need_help", "--note", "insulin")
			if _, errs, code := cli(t, db, "", "rollcall", "checkin", id, "WFP-0001", "safe"); code != 1 || !strings.Contains(errs, "not among the people") {
				t.Errorf("out of scope: exit %d, %s", code, errs)
			}
			var rep outpost.RollCallReport
			if err := json.Unmarshal([]byte(mustCLI(t, db, "rollcall", "status", id, "--json")), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Expected != 3 || rep.Safe != 1 || rep.NeedHelp != 1 || rep.NoResponse != 1 || rep.NoResponseIDs[0] != "RU-0003" {
				t.Errorf("status: got %+v", rep)
			}
			links := mustCLI(t, db, "rollcall", "links", id, "--base-url", "https://post.example")
			rows, _ := csv.NewReader(strings.NewReader(links)).ReadAll()
			if len(rows) != 4 || !strings.HasPrefix(rows[1][4], "https://post.example/checkin/"+id+"/RU-0001/") {
				t.Errorf("links: got %q", rows)
			}
			again := mustCLI(t, db, "rollcall", "links", id, "--base-url", "https://post.example")
			if again != links {
				t.Error("links changed between two exports")
			}
			mustCLI(t, db, "rollcall", "close", id)
			if _, errs, code := cli(t, db, "", "rollcall", "checkin", id, "RU-0003", "safe"); code != 1 || !strings.Contains(errs, "closed") {
				t.Errorf("closed roll call: exit %d, %s", code, errs)
			}
			if _, _, code := cli(t, db, "", "rollcall", "status", "x"); code != 2 {
				t.Errorf("bad id: exit %d, want 2", code)
			}
		})
	}
}

func TestMedicalCasesFromTheCommandLine(t *testing.T) {
	db := t.TempDir() + "/o.db"
	seedCLI(t, db)
	out := mustCLI(t, db, "medical", "open", "RU-0003", "--precedence", "priority", "--need", "dialysis")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	id := lines[len(lines)-1]
	mustCLI(t, db, "medical", "update", id, "--precedence", "urgent")
	list := mustCLI(t, db, "medical", "list")
	if !strings.Contains(list, "RU-0003") || !strings.Contains(list, "urgent") {
		t.Errorf("list:\n%s", list)
	}
	if _, _, code := cli(t, db, "", "medical", "open", "RU-0003", "--precedence", "soon"); code != 1 {
		t.Errorf("bad precedence: exit %d, want 1", code)
	}
	mustCLI(t, db, "medical", "close", id)
	if list := mustCLI(t, db, "medical", "list"); strings.Contains(list, "RU-0003") {
		t.Errorf("closed case still listed as open:\n%s", list)
	}
}

func TestEscalationSettingsFromTheCommandLine(t *testing.T) {
	db := t.TempDir() + "/o.db"
	seedCLI(t, db)
	out := mustCLI(t, db, "rollcall", "notify", "--smtp", "127.0.0.1:2525", "--email", "duty@post.example",
		"--email-for", "RU=consul@ru.example", "--webhook", "https://hooks.example/x", "--webhook-secret", "s3cret-s3cret-s3cret-s3cret-s3cret")
	for _, want := range []string{"notify.smtp            127.0.0.1:2525", "notify.email.RU        consul@ru.example", "notify.webhook_secret  (set)", "notify.from            -"} {
		if !strings.Contains(out, want) {
			t.Errorf("settings lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Error("the webhook secret is printed")
	}
	if got := mustCLI(t, db, "rollcall", "notify", "--from", "Outpost duty desk <outpost@post.example>", "--helo", "outpost.post.example"); !strings.Contains(got, "notify.from            Outpost duty desk <outpost@post.example>") ||
		!strings.Contains(got, "notify.helo            outpost.post.example") {
		t.Errorf("a sender with a name and a greeting name:\n%s", got)
	}
	mustCLI(t, db, "rollcall", "notify", "--from", "", "--helo", "")
	if got := mustCLI(t, db, "rollcall", "notify", "--webhook", "", "--webhook-secret", ""); !strings.Contains(got, "notify.webhook         -") {
		t.Errorf("an empty value does not remove the setting:\n%s", got)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--smtp", "mail.example"}, 1, "HOST:PORT"},
		{[]string{"--webhook", "ftp://x", "--webhook-secret", strings.Repeat("k", 32)}, 1, "http or https"},
		{[]string{"--email-for", "XX=a@b"}, 1, "no mission"},
		{[]string{"--email-for", "RU"}, 2, "MISSION=ADDRESSES"},
		{[]string{"--from", "Outpost outpost@post.example"}, 1, "--from"},
		{[]string{"--helo", "two words"}, 1, "--helo"},
	}
	for _, c := range cases {
		_, errs, code := cli(t, db, "", append([]string{"rollcall", "notify"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: got exit %d %q, want %d with %q", c.args, code, errs, c.code, c.want)
		}
	}
}

func TestWebhookNeedsASecret(t *testing.T) {
	db := t.TempDir() + "/o.db"
	seedCLI(t, db)
	long := strings.Repeat("k", 32)
	refused := []struct {
		args []string
		want string
	}{
		{[]string{"--webhook", "https://hooks.example/x"}, "needs a secret"},
		{[]string{"--webhook", "https://hooks.example/x", "--webhook-secret", ""}, "needs a secret"},
		{[]string{"--webhook", "https://hooks.example/x", "--webhook-secret", "s3cret"}, "at least 32"},
		{[]string{"--webhook", "https://hooks.example/x", "--webhook-secret", long[1:]}, "at least 32"},
		{[]string{"--webhook-secret", "short"}, "at least 32"},
	}
	for _, c := range refused {
		_, errs, code := cli(t, db, "", append([]string{"rollcall", "notify"}, c.args...)...)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%q: got exit %d %q, want 1 with %q", c.args, code, errs, c.want)
		}
		if got := mustCLI(t, db, "rollcall", "notify"); !strings.Contains(got, "notify.webhook         -") || !strings.Contains(got, "notify.webhook_secret  -") {
			t.Errorf("%q: a refused setting was stored:\n%s", c.args, got)
		}
	}
	mustCLI(t, db, "rollcall", "notify", "--webhook", "https://hooks.example/x", "--webhook-secret", long)
	// Once set, the secret cannot be removed or weakened under the webhook.
	for _, args := range [][]string{{"--webhook-secret", ""}, {"--webhook-secret", "s3cret"}} {
		if _, errs, code := cli(t, db, "", append([]string{"rollcall", "notify"}, args...)...); code != 1 || !strings.Contains(errs, "secret") {
			t.Errorf("%q under a webhook: got exit %d %q, want 1", args, code, errs)
		}
	}
	// Other settings still change, and the webhook goes with its secret.
	mustCLI(t, db, "rollcall", "notify", "--smtp", "127.0.0.1:2525")
	mustCLI(t, db, "rollcall", "notify", "--webhook", "", "--webhook-secret", "")

	out := mustCLI(t, db, "rollcall", "notify", "--webhook", "https://hooks.example/y", "--generate-webhook-secret")
	m := regexp.MustCompile(`notify.webhook_secret  \(set\) ([0-9a-f]{64})\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the generated secret is not shown once:\n%s", out)
	}
	if got := strings.TrimSpace(mustCLI(t, db, "config", "get", "notify.webhook_secret")); got != m[1] {
		t.Errorf("stored secret %q, shown %q", got, m[1])
	}
	if again := mustCLI(t, db, "rollcall", "notify"); strings.Contains(again, m[1]) {
		t.Error("the secret is shown again")
	}
	if _, _, code := cli(t, db, "", "rollcall", "notify", "--generate-webhook-secret", "--webhook-secret", long); code != 2 {
		t.Errorf("both a secret and --generate-webhook-secret: exit %d, want 2", code)
	}
}
