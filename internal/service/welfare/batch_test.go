package welfare

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/storetest"
)

// TestConcurrentAnswersKeepTheLatest sends many answers of the same
// people at once, through one lane and through several: exactly one
// answer of each person is kept, the one the batcher timed last, and
// every answer of a person got a distinct time.
func TestConcurrentAnswersKeepTheLatest(t *testing.T) {
	people := []string{"RU-0001", "RU-0002", "RU-0003", "SE-0001", "WFP-0001"}
	for _, lanes := range []int{1, 4} {
		t.Run(fmt.Sprint(lanes, " lanes"), func(t *testing.T) {
			db, rc := seeded(t)
			b := NewLanes(db, 8, lanes)
			const n = 300
			got := make([]outpost.Checkin, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					status := []string{outpost.Safe, outpost.NeedHelp}[i%2]
					c, err := b.Record(storetest.Ctx(), outpost.Checkin{RollCall: rc.ID, Person: people[i%len(people)], Status: status, Note: fmt.Sprint("answer ", i)})
					if err != nil {
						t.Errorf("answer %d: %v", i, err)
					}
					got[i] = c
				})
			}
			wg.Wait()
			b.Close()
			latest := map[string]outpost.Checkin{}
			seen := map[string]bool{}
			for _, c := range got {
				key := fmt.Sprint(c.Person, c.At.UnixNano())
				if seen[key] {
					t.Errorf("two answers of %s timed %s", c.Person, c.At)
				}
				seen[key] = true
				if l, ok := latest[c.Person]; !ok || c.At.After(l.At) {
					latest[c.Person] = c
				}
			}
			scope, err := db.RollCallScope(context.Background(), rc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(scope) != len(people) {
				t.Fatalf("got %d people in scope, want %d", len(scope), len(people))
			}
			for _, e := range scope {
				if l := latest[e.Person]; e.Note != l.Note || e.Status != l.Status {
					t.Errorf("%s: kept %q (%s), want the latest, %q (%s)", e.Person, e.Note, e.Status, l.Note, l.Status)
				}
			}
			if st := b.Stats(); st.Answers != n || st.Transactions < 1 || st.Transactions > n {
				t.Errorf("stats: got %+v, want %d answers in 1 to %d transactions", st, n, n)
			}
		})
	}
}

// actorRecorder records which actor each transaction was written under;
// its first call waits for release, so that the next batch fills up.
type actorRecorder struct {
	mu      sync.Mutex
	calls   [][]string
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (a *actorRecorder) CheckIn(ctx context.Context, answers []outpost.Checkin) ([]error, error) {
	a.once.Do(func() {
		close(a.entered)
		<-a.release
	})
	var people []string
	for _, c := range answers {
		people = append(people, outpost.ActorFrom(ctx)+":"+c.Person)
	}
	a.mu.Lock()
	a.calls = append(a.calls, people)
	a.mu.Unlock()
	return make([]error, len(answers)), nil
}

func TestBatcherWritesEachActorsRunUnderTheirName(t *testing.T) {
	rec := &actorRecorder{entered: make(chan struct{}), release: make(chan struct{})}
	b := NewBatcher(rec, 16)
	var wg sync.WaitGroup
	submit := func(actor, person string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.Submit(outpost.WithActor(context.Background(), actor), outpost.Checkin{Person: person}); err != nil {
				t.Error(err)
			}
		}()
	}
	submit("first", "P0")
	<-rec.entered // the batcher is writing the first answer
	for i, actor := range []string{"olga", "olga", "link", "olga"} {
		submit(actor, fmt.Sprint("P", i+1))
		for len(b.lanes[0]) != i+1 {
			runtime.Gosched()
		}
	}
	close(rec.release)
	wg.Wait()
	b.Close()
	want := [][]string{{"first:P0"}, {"olga:P1", "olga:P2"}, {"link:P3"}, {"olga:P4"}}
	if !slices.EqualFunc(rec.calls, want, slices.Equal) {
		t.Errorf("transactions: got %v, want %v", rec.calls, want)
	}
}

// configMap is an in-memory settings store.
type configMap map[string]string

func (c configMap) Config(_ context.Context, k string) (string, error) { return c[k], nil }
func (c configMap) SetConfig(_ context.Context, k, v string) error {
	c[k] = v
	return nil
}
func (c configMap) InitConfig(_ context.Context, k, v string) (string, error) {
	if held, ok := c[k]; ok {
		return held, nil
	}
	c[k] = v
	return v, nil
}

func TestLinkSecretIsMadeOnce(t *testing.T) {
	ctx := context.Background()
	cfg := configMap{}
	if s, err := ReadLinkSecret(ctx, cfg); s != nil || err != nil {
		t.Fatalf("before: got %x, %v, want none", s, err)
	}
	first, err := LinkSecret(ctx, cfg)
	if err != nil || len(first) != 32 {
		t.Fatalf("first: got %d bytes, %v", len(first), err)
	}
	again, _ := LinkSecret(ctx, cfg)
	read, _ := ReadLinkSecret(ctx, cfg)
	if !bytes.Equal(first, again) || !bytes.Equal(first, read) {
		t.Error("the secret changed between uses")
	}
	cfg["link_secret"] = "not hex"
	if _, err := ReadLinkSecret(ctx, cfg); outpost.ErrorCode(err) != outpost.EINTERNAL {
		t.Errorf("a broken secret: got %v, want an internal error", err)
	}
}

func TestNotifiersFromSettings(t *testing.T) {
	cases := []struct {
		name  string
		cfg   configMap
		want  []string
		mails map[string][]string
	}{
		{"none", configMap{}, nil, nil},
		{"webhook", configMap{"notify.webhook": "https://hooks.example/x", "notify.webhook_secret": "s"}, []string{"webhook"}, nil},
		{"mail and webhook", configMap{"notify.smtp": "127.0.0.1:25", "notify.email": "duty@post.example, dean@post.example",
			"notify.email.RU": "consul@ru.example", "notify.webhook": "https://hooks.example/x"},
			[]string{"smtp", "webhook"}, map[string][]string{"RU": {"consul@ru.example"}, "SE": {"duty@post.example", "dean@post.example"}}},
		{"mail without recipients", configMap{"notify.smtp": "127.0.0.1:25"}, []string{"smtp"}, map[string][]string{"RU": {}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ns, err := Notifiers(context.Background(), c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range ns {
				got = append(got, n.Name())
				if s, ok := n.(SMTP); ok {
					if s.From != "outpost@localhost" {
						t.Errorf("from: got %q, want the default", s.From)
					}
					for m, want := range c.mails {
						if to := s.To(m); !slices.Equal(to, want) {
							t.Errorf("recipients of %s: got %q, want %q", m, to, want)
						}
					}
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("channels: got %v, want %v", got, c.want)
			}
		})
	}
}

func TestWriteLinks(t *testing.T) {
	l := Links{Secret: []byte("s"), BaseURL: "https://post.example"}
	var buf bytes.Buffer
	if err := WriteLinks(&buf, l, 3, []outpost.ScopeEntry{{Person: "RU-0001", GivenName: "Nikolai", FamilyName: "Lebedev", Mission: "RU"}}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{LinksHeader, {"RU-0001", "Nikolai", "Lebedev", "RU", l.URL(3, "RU-0001")}}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("got %q, want %q", rows, want)
	}
}

// barrierConfig is a settings store whose first reads of a key wait for
// each other, so that two processes making the same setting both find
// it missing, as two servers starting at once would.
type barrierConfig struct {
	mu      sync.Mutex
	m       configMap
	waiting sync.WaitGroup
}

func (c *barrierConfig) Config(ctx context.Context, k string) (string, error) {
	c.mu.Lock()
	v, _ := c.m.Config(ctx, k)
	c.mu.Unlock()
	c.waiting.Done()
	c.waiting.Wait()
	return v, nil
}
func (c *barrierConfig) SetConfig(ctx context.Context, k, v string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.SetConfig(ctx, k, v)
}
func (c *barrierConfig) InitConfig(ctx context.Context, k, v string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.InitConfig(ctx, k, v)
}

// Two servers making the link secret at the same moment end with one
// secret: a link one of them exports is valid on the other.
func TestLinkSecretMadeByTwoAtOnceIsOne(t *testing.T) {
	cfg := &barrierConfig{m: configMap{}}
	cfg.waiting.Add(2)
	var got [2][]byte
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			s, err := LinkSecret(context.Background(), cfg)
			if err != nil {
				t.Error(err)
			}
			got[i] = s
		})
	}
	wg.Wait()
	held, _ := ReadLinkSecret(context.Background(), &cfg.m)
	if !bytes.Equal(got[0], got[1]) || !bytes.Equal(got[0], held) {
		t.Errorf("two secrets made: %x and %x, stored %x", got[0], got[1], held)
	}
}
