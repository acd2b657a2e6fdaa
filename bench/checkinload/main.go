// Command checkinload measures roll-call check-ins over HTTP, for
// bench/checkin.sh: it starts a roll call over everyone in the country
// through the API, sends answers with POST /api/v1/rollcalls/{id}/checkins
// from many concurrent clients for a bounded count or time, and reports
// the sustained rate and the latency (p50, p99, max). It then checks that
// nothing was lost (every person's stored answer is the one with the
// latest time among those acknowledged, and the number of people who
// answered is the number sent to) and, last, sends answers of ONE person
// from every client at once and checks that exactly one is left, the
// latest.
//
//	checkinload -url http://127.0.0.1:8091/ -token-file T [-c 64] [-n 100000] [-max 15s] [-same 256]
//
// It only talks to loopback addresses. It prints the roll call's id on a
// line "rollcall N" so that the script can count its rows in the database.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outpost-org/outpost/bench/loadkit"
)

// checkin is an answer as the API acknowledges it.
type checkin struct {
	Person string    `json:"person"`
	Status string    `json:"status"`
	Note   string    `json:"note"`
	At     time.Time `json:"at"`
}

// status is the part of GET /api/v1/rollcalls/{id} this command reads.
type status struct {
	ID       int64 `json:"id"`
	Expected int   `json:"expected"`
	Safe     int   `json:"safe"`
	NeedHelp int   `json:"need_help"`
	People   []struct {
		Person string `json:"person"`
		Status string `json:"status"`
		Note   string `json:"note"`
	} `json:"people"`
}

type client struct{ loadkit.Client }

func main() {
	base := flag.String("url", "http://127.0.0.1:8091/", "server (loopback only)")
	tokenFile := flag.String("token-file", "", "file with an admin's API token")
	conc := flag.Int("c", 64, "concurrent clients")
	n := flag.Int("n", 100_000, "most check-ins to send")
	maxTime := flag.Duration("max", 15*time.Second, "longest time to send them")
	same := flag.Int("same", 256, "check-ins of one person sent at once at the end (0: skip)")
	flag.Parse()

	if err := loadkit.CheckURL(*base); err != nil {
		fail(err)
	}
	token, err := loadkit.Token(*tokenFile)
	if err != nil {
		fail(err)
	}
	c := &client{loadkit.Client{Base: strings.TrimSuffix(*base, "/"), Token: token, HTTP: loadkit.HTTP(*conc, 30*time.Second)}}

	var rc status
	if _, err := c.Call("POST", "/api/v1/rollcalls", map[string]string{"title": "Benchmark " + time.Now().Format(time.RFC3339)}, &rc); err != nil {
		fail(err)
	}
	fmt.Printf("rollcall %d\n", rc.ID)
	var scope status
	if _, err := c.Call("GET", fmt.Sprintf("/api/v1/rollcalls/%d", rc.ID), nil, &scope); err != nil {
		fail(err)
	}
	ids := make([]string, 0, len(scope.People))
	for _, p := range scope.People {
		ids = append(ids, p.Person)
	}
	if len(ids) == 0 {
		fail(fmt.Errorf("roll call %d expects nobody: import people first", rc.ID))
	}
	fmt.Printf("%d people expected; %d clients; at most %d check-ins or %s\n", len(ids), *conc, *n, *maxTime)
	path := fmt.Sprintf("/api/v1/rollcalls/%d/checkins", rc.ID)

	txBefore, ansBefore := c.batchMetrics()
	// The main run: answers to everyone in turn, each with a unique note.
	var next atomic.Int64
	var failed atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, *conc)
	latest := make([]map[string]checkin, *conc)
	start := time.Now()
	deadline := start.Add(*maxTime)
	var wg sync.WaitGroup
	for w := range *conc {
		latest[w] = map[string]checkin{}
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(*n) || time.Now().After(deadline) {
					return
				}
				person := ids[i%int64(len(ids))]
				answer := "safe"
				if i%7 == 0 {
					answer = "need_help"
				}
				t0 := time.Now()
				var got checkin
				_, err := c.Call("POST", path, map[string]string{"person": person, "status": answer, "note": fmt.Sprint("c", i)}, &got)
				d := time.Since(t0)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				lat[w] = append(lat[w], d)
				if prev, ok := latest[w][person]; !ok || got.At.After(prev.At) {
					latest[w][person] = got
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	var all []time.Duration
	want := map[string]checkin{}
	for w := range *conc {
		all = append(all, lat[w]...)
		for p, ck := range latest[w] {
			if prev, ok := want[p]; !ok || ck.At.After(prev.At) {
				want[p] = ck
			}
		}
	}
	slices.Sort(all)
	q := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	fmt.Printf("sent %d check-ins in %.2f s: %.0f per second sustained; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d failed\n",
		len(all), took.Seconds(), float64(len(all))/took.Seconds(), q(.50), q(.99), q(1), failed.Load())
	if tx, ans := c.batchMetrics(); tx > txBefore {
		fmt.Printf("written in %.0f transactions: %.1f answers per transaction on average\n", tx-txBefore, (ans-ansBefore)/(tx-txBefore))
	}
	if e := firstErr.Load(); e != nil {
		fmt.Printf("first failure: %s\n", e)
	}
	fmt.Printf("acknowledged %d\n", len(all))

	// Nothing lost: each person's stored answer is their latest
	// acknowledged one, and as many people answered as were sent to.
	var after status
	if _, err := c.Call("GET", fmt.Sprintf("/api/v1/rollcalls/%d", rc.ID), nil, &after); err != nil {
		fail(err)
	}
	stored, wrong := 0, 0
	for _, p := range after.People {
		w, sent := want[p.Person]
		if p.Status != "" {
			stored++
		}
		if sent && (p.Status != w.Status || p.Note != w.Note) {
			wrong++
		}
	}
	verdict := "none lost"
	if stored != len(want) || wrong != 0 || after.Safe+after.NeedHelp != len(want) {
		verdict = "LOST OR WRONG"
	}
	fmt.Printf("database: %d people answered, %d sent to; %d stored answers differ from the latest acknowledged: %s\n", stored, len(want), wrong, verdict)

	if *same > 0 {
		sameOne(c, path, rc.ID, ids[0], *same)
	}
	if verdict != "none lost" || failed.Load() > 0 {
		os.Exit(1)
	}
}

// batchMetrics reads the server's counts of check-in transactions and
// answers from /metrics (zero when it has none), which answer only an
// admin's token.
func (c *client) batchMetrics() (transactions, answers float64) {
	req, err := http.NewRequest("GET", c.Base+"/metrics", nil)
	if err != nil {
		return 0, 0
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	res, err := c.HTTP.Do(req)
	if err != nil {
		return 0, 0
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(b), "\n") {
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		var v float64
		fmt.Sscan(value, &v)
		switch name {
		case "outpost_checkin_transactions_total":
			transactions = v
		case "outpost_checkins_total":
			answers = v
		}
	}
	return transactions, answers
}

// sameOne sends n answers of one person at once and checks that exactly
// one is stored: the one acknowledged with the latest time.
func sameOne(c *client, path string, rollcall int64, person string, n int) {
	got := make([]checkin, n)
	var wg sync.WaitGroup
	var failed atomic.Int64
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			answer := []string{"safe", "need_help"}[i%2]
			if _, err := c.Call("POST", path, map[string]string{"person": person, "status": answer, "note": fmt.Sprint("same ", i)}, &got[i]); err != nil {
				failed.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	latest := got[0]
	for _, g := range got {
		if g.At.After(latest.At) {
			latest = g
		}
	}
	var after status
	if _, err := c.Call("GET", fmt.Sprintf("/api/v1/rollcalls/%d", rollcall), nil, &after); err != nil {
		fail(err)
	}
	answers := 0
	var kept string
	for _, p := range after.People {
		if p.Person == person && p.Status != "" {
			answers++
			kept = p.Note
		}
	}
	verdict := "exactly one answer, the latest"
	if answers != 1 || kept != latest.Note || failed.Load() > 0 {
		verdict = "WRONG"
	}
	fmt.Printf("same person from %d clients at once: %d answer kept (%q; latest acknowledged %q), %d failed: %s\n",
		n, answers, kept, latest.Note, failed.Load(), verdict)
	if verdict != "exactly one answer, the latest" {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "checkinload:", err)
	os.Exit(1)
}
