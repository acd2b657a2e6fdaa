package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/store"
	"github.com/outpost-org/outpost/internal/synth"
)

// serveProcess is an `outpost serve` running as a child process (this
// test binary standing in for outpost).
type serveProcess struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

// startServe starts `outpost serve` on dsn on a free port and waits
// until it says where it serves; the process is killed when t ends.
func startServe(t *testing.T, dsn string) *serveProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "--db", dsn, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "OUTPOST_TEST_AS_CLI=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, done: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), "serving on "); ok {
				urls <- strings.Fields(url)[0]
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { p.kill() })
	select {
	case p.url = <-urls:
	case err := <-p.done:
		p.done <- err
		t.Fatalf("outpost serve ended (%v) before serving:\n%s", err, stderr.String())
	case <-time.After(60 * time.Second): // a hang guard
		t.Fatalf("outpost serve did not start:\n%s", stderr.String())
	}
	return p
}

// kill ends the process with SIGKILL: no shutdown, no flushing.
func (p *serveProcess) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	err := <-p.done
	p.done <- err
}

// cliToday runs the command line with the real clock (a token made for a
// server must not have expired in fixedNow's 2021).
func cliToday(t *testing.T, db, stdin string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"--db", db}, args...), strings.NewReader(stdin), &out, &errb, time.Now); code != 0 {
		t.Fatalf("outpost %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// seedServed imports missions and n people into dsn and makes an admin
// with an API token, which it returns.
func seedServed(t *testing.T, dsn string, n int) string {
	t.Helper()
	dir := t.TempDir()
	missions := writeWith(t, dir, "missions.csv", func(f *os.File) error { return synth.WriteMissions(f, 10) })
	people := writeWith(t, dir, "people.csv", func(f *os.File) error { return synth.WritePeople(f, n, 10, "P", 3) })
	mustCLI(t, dsn, "import", "missions", missions)
	mustCLI(t, dsn, "import", "people", people)
	cliToday(t, dsn, "a long enough password\n", "user", "add", "admin", "--role", "admin", "--password-stdin")
	out := strings.TrimSpace(cliToday(t, dsn, "", "token", "create", "admin", "--label", "test", "--days", "1"))
	return out[strings.LastIndex(out, "\n")+1:]
}

// post sends a JSON body with the token and answers the status.
func post(c *http.Client, url, token, body string, into any) (int, error) {
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if into != nil && res.StatusCode < 300 {
		if err := json.NewDecoder(res.Body).Decode(into); err != nil {
			return res.StatusCode, err
		}
	}
	return res.StatusCode, nil
}

// A second `outpost serve` on a SQLite file that one already serves is
// refused, saying why and what to do; commands beside the server still
// work.
func TestSecondServeOnOneSQLiteFileIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	seedServed(t, db, 20)
	startServe(t, db)
	// Were it not refused it would serve until the hang guard ends it,
	// and exit 0.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"--db", db, "serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errb, time.Now)
	errs := errb.String()
	if code == 0 || !strings.Contains(errs, "already served by another outpost serve process") || !strings.Contains(errs, "PostgreSQL") {
		t.Errorf("second serve: exit %d, %q; want a refusal naming the other server and PostgreSQL", code, errs)
	}
	if out := mustCLI(t, db, "people", "list", "--limit", "1"); out == "" {
		t.Error("a command beside the server printed nothing")
	}
}

// Killing (SIGKILL) one of two servers on one PostgreSQL database while
// clients send check-ins to both loses no acknowledged answer, and the
// other server keeps serving. On SQLite, which takes one server, the one
// is killed: still no acknowledged answer is lost.
func TestKillingAServerDuringCheckInsLosesNoAcknowledgedAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers as processes; skipped with -short")
	}
	for name, dsn := range engines(t) {
		t.Run(name, func(t *testing.T) {
			db := dsn(t)
			const people = 3000
			token := seedServed(t, db, people)
			servers := []*serveProcess{startServe(t, db)}
			if store.IsPostgres(db) {
				servers = append(servers, startServe(t, db))
			}
			client := &http.Client{Timeout: 30 * time.Second}
			var rc outpost.RollCall
			if code, err := post(client, servers[0].url+"api/v1/rollcalls", token, `{"title": "under fire"}`, &rc); code != 201 || err != nil {
				t.Fatalf("start roll call: %d %v", code, err)
			}
			var scope []string
			s, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			entries, err := s.RollCallScope(context.Background(), rc.ID)
			if err != nil || len(entries) < 1000 {
				t.Fatalf("scope of %d: %v", len(entries), err)
			}
			for _, e := range entries {
				scope = append(scope, e.Person)
			}

			// Each person answers once, through the servers in turn;
			// an answer is acknowledged when its 201 arrives.
			var (
				mu        sync.Mutex
				acked     = map[string]string{} // person → note
				next      atomic.Int64
				afterKill atomic.Int64
				killed    atomic.Bool
				wg        sync.WaitGroup
			)
			path := fmt.Sprintf("api/v1/rollcalls/%d/checkins", rc.ID)
			for w := range 16 {
				wg.Go(func() {
					for {
						i := int(next.Add(1)) - 1
						if i >= len(scope) {
							return
						}
						srv := servers[(i+w)%len(servers)]
						note := fmt.Sprintf("n%d", i)
						body := fmt.Sprintf(`{"person": %q, "status": "safe", "note": %q}`, scope[i], note)
						code, err := post(client, srv.url+path, token, body, nil)
						if err != nil || code != 201 {
							continue // not acknowledged: may or may not be there
						}
						mu.Lock()
						acked[scope[i]] = note
						mu.Unlock()
						if killed.Load() {
							afterKill.Add(1)
						}
					}
				})
			}
			// Kill the first server once a third of the answers are in.
			for next.Load() < int64(len(scope)/3) {
				time.Sleep(time.Millisecond)
			}
			servers[0].kill()
			killed.Store(true)
			wg.Wait()

			if len(servers) > 1 && afterKill.Load() == 0 {
				t.Error("no answer was acknowledged after the kill: the other server stopped serving")
			}
			if len(acked) == 0 {
				t.Fatal("no answer acknowledged at all")
			}
			entries, err = s.RollCallScope(context.Background(), rc.ID)
			if err != nil {
				t.Fatal(err)
			}
			stored := map[string]string{}
			for _, e := range entries {
				if e.Status != "" {
					stored[e.Person] = e.Note
				}
			}
			lost := 0
			for person, note := range acked {
				if stored[person] != note {
					lost++
					if lost <= 5 {
						t.Errorf("%s: acknowledged %q, stored %q", person, note, stored[person])
					}
				}
			}
			t.Logf("%d answers acknowledged (%d after the kill), %d stored, %d lost", len(acked), afterKill.Load(), len(stored), lost)
		})
	}
}
