// Command trackload measures tracking at gates over HTTP, for
// bench/track.sh. It reads the people file bench/peoplegen wrote and, in
// two phases of a bounded time each, records a "departed" checkpoint for
// one person after another:
//
//   - single: one POST /api/v1/people/{id}/track per event;
//   - batch: POST /api/v1/track with -batch scans per request, as a gate
//     scanner sends its queue; every -resend-th batch is sent a second
//     time once answered, as after a lost answer, and that answer must
//     say all duplicates.
//
// Requests are paced at -rate events a second (open loop: a request's
// latency counts from when it was due, so a server that falls behind
// shows it), from -c clients. Every event carries the note -tag, so that
// the script can count them in the database afterwards: that count must
// equal the "acknowledged" line.
//
// During each phase a probe measures the census's freshness: it records
// departed (then returned) for one person of the last mission, which the
// load leaves alone, and times from the 2xx until GET /api/v1/census
// shows that mission's in_transit count changed.
//
//	trackload -url http://127.0.0.1:8092/ -token-file T -people people.csv [-c 16] [-rate 1000] [-batch 100] [-max 20s]
//
// It only talks to loopback addresses.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outpost-org/outpost/bench/loadkit"
)

// client is loadkit's, whose errors quote at most 300 characters of an
// answer.
type client struct{ loadkit.Client }

// call is Call without the status code.
func (c *client) call(method, path string, body any, out any) error {
	_, err := c.Call(method, path, body, out)
	return err
}

type scan struct {
	Person     string `json:"person"`
	Checkpoint string `json:"checkpoint"`
	At         string `json:"at"`
	ScanID     string `json:"scan_id,omitempty"`
	Note       string `json:"note,omitempty"`
}

type report struct {
	Recorded   int `json:"recorded"`
	Duplicates int `json:"duplicates"`
	Refused    int `json:"refused"`
	Refusals   []struct {
		Index  int    `json:"index"`
		Reason string `json:"reason"`
	} `json:"refusals"`
}

type censusAnswer struct {
	ByMission []struct {
		Code      string `json:"code"`
		InTransit int    `json:"in_transit"`
	} `json:"by_mission"`
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8092/", "server (loopback only)")
	tokenFile := flag.String("token-file", "", "file with an admin's API token")
	peopleFile := flag.String("people", "", "the people.csv bench/peoplegen wrote")
	conc := flag.Int("c", 16, "concurrent clients")
	rate := flag.Float64("rate", 1000, "events a second to send (0: as fast as the clients go)")
	batch := flag.Int("batch", 100, "scans per batch in the batch phase")
	resend := flag.Int("resend", 10, "send every n-th batch twice (0: never)")
	maxTime := flag.Duration("max", 20*time.Second, "length of each phase")
	phases := flag.String("phases", "single,batch", "phases to run, in order")
	tag := flag.String("tag", "trackload", "note of every event, to count them in the database")
	probeOn := flag.Bool("probe", true, "measure the census's freshness during the load (it keeps the census rebuilding)")
	flag.Parse()

	if err := loadkit.CheckURL(*base); err != nil {
		fail(err)
	}
	token, err := loadkit.Token(*tokenFile)
	if err != nil {
		fail(err)
	}
	c := &client{loadkit.Client{Base: strings.TrimSuffix(*base, "/"), Token: token, HTTP: loadkit.HTTP(*conc, 60*time.Second), ErrBody: 300}}

	ids, probeMission, probe, err := readPeople(*peopleFile)
	if err != nil {
		fail(err)
	}
	fmt.Printf("%d people to track (mission %s left to the census probe, person %s); %d clients; %.0f events a second; %s a phase\n",
		len(ids), probeMission, probe, *conc, *rate, *maxTime)
	var next atomic.Int64
	take := func() (string, bool) {
		i := next.Add(1) - 1
		if i >= int64(len(ids)) {
			return "", false
		}
		return ids[i], true
	}
	acked := 0
	status := 0
	for _, ph := range strings.Split(*phases, ",") {
		per := 1
		if ph == "batch" {
			per = *batch
		} else if ph != "single" {
			fail(fmt.Errorf("-phases: unknown phase %q", ph))
		}
		if !*probeOn {
			probe = ""
		}
		res := run(c, ph, per, *resend, *conc, *rate, *maxTime, *tag, take, probeMission, probe)
		acked += res.acked
		if res.failed > 0 || res.badResend > 0 {
			status = 1
		}
	}
	fmt.Printf("acknowledged %d\n", acked)
	os.Exit(status)
}

type result struct {
	acked, failed, badResend int
}

// run is one phase: events per request, paced at rate events a second.
func run(c *client, phase string, per, resend, conc int, rate float64, length time.Duration, tag string,
	take func() (string, bool), probeMission, probe string) result {
	type job struct {
		due time.Time
		n   int64
	}
	jobs := make(chan job, 1<<16)
	start := time.Now()
	deadline := start.Add(length)
	// The pacer: a request is due every per/rate seconds.
	go func() {
		defer close(jobs)
		var n int64
		for {
			due := start
			if rate > 0 {
				due = start.Add(time.Duration(float64(n) * float64(per) / rate * float64(time.Second)))
				if d := time.Until(due); d > 0 {
					time.Sleep(d)
				}
			}
			if !due.Before(deadline) || time.Now().After(deadline) {
				return
			}
			if rate > 0 {
				jobs <- job{due, n}
			} else {
				jobs <- job{time.Now(), n}
			}
			n++
		}
	}()
	stop := make(chan struct{})
	fresh := make(chan []time.Duration, 1)
	go func() {
		if probe == "" {
			fresh <- nil
			return
		}
		fresh <- probeCensus(c, probeMission, probe, stop)
	}()

	var mu sync.Mutex
	var lat []time.Duration
	var res result
	var firstErr string
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for j := range jobs {
				var scans []scan
				now := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
				for range per {
					id, ok := take()
					if !ok {
						break
					}
					scans = append(scans, scan{Person: id, Checkpoint: "departed", At: now, Note: tag})
				}
				if len(scans) == 0 {
					return
				}
				var err error
				recorded := 0
				if phase == "single" {
					err = c.call("POST", "/api/v1/people/"+scans[0].Person+"/track", map[string]string{"checkpoint": "departed", "at": now, "note": tag}, nil)
					recorded = 1
				} else {
					var rep report
					err = c.call("POST", "/api/v1/track", map[string]any{"scans": scans}, &rep)
					recorded = rep.Recorded
					if err == nil && rep.Recorded != len(scans) {
						err = fmt.Errorf("batch of %d: %d recorded, %d duplicates, %d refused %v", len(scans), rep.Recorded, rep.Duplicates, rep.Refused, rep.Refusals)
					}
				}
				d := time.Since(j.due)
				mu.Lock()
				if err != nil {
					res.failed++
					if firstErr == "" {
						firstErr = err.Error()
					}
				} else {
					res.acked += recorded
					lat = append(lat, d)
				}
				mu.Unlock()
				if err == nil && phase == "batch" && resend > 0 && j.n%int64(resend) == 0 {
					var rep report
					err := c.call("POST", "/api/v1/track", map[string]any{"scans": scans}, &rep)
					if err != nil || rep.Recorded != 0 || rep.Duplicates != len(scans) {
						mu.Lock()
						res.badResend++
						if firstErr == "" {
							firstErr = fmt.Sprintf("a batch sent again: %+v %v, want %d duplicates", rep, err, len(scans))
						}
						mu.Unlock()
					}
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	close(stop)
	fr := <-fresh
	slices.Sort(lat)
	q := func(all []time.Duration, p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	fmt.Printf("%s: %d events in %d requests of %d in %.2f s: %.0f events a second; request latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d failed",
		phase, res.acked, len(lat), per, took.Seconds(), float64(res.acked)/took.Seconds(), q(lat, .5), q(lat, .99), q(lat, 1), res.failed)
	if phase == "batch" && resend > 0 {
		fmt.Printf("; every %d-th batch sent again: %d not all duplicates", resend, res.badResend)
	}
	fmt.Println()
	if firstErr != "" {
		fmt.Printf("%s: first failure: %s\n", phase, firstErr)
	}
	slices.Sort(fr)
	if len(fr) > 0 {
		fmt.Printf("%s: census freshness during the load (2xx of a write until GET /api/v1/census shows it), %d probes: min %.0f ms, p50 %.0f ms, max %.0f ms\n",
			phase, len(fr), q(fr, 0), q(fr, .5), q(fr, 1))
	} else if probe != "" {
		fmt.Printf("%s: census freshness: no probe finished within the phase\n", phase)
	} else {
		fmt.Printf("%s: no census reader during the load (-probe=false)\n", phase)
	}
	return res
}

// probeCensus records departed, then returned, for the probe person,
// and times each until the census shows the probe mission's in_transit
// count moved, until stop.
func probeCensus(c *client, mission, person string, stop chan struct{}) []time.Duration {
	var out []time.Duration
	inTransit := func() (int, error) {
		var ca censusAnswer
		if err := c.call("GET", "/api/v1/census", nil, &ca); err != nil {
			return 0, err
		}
		for _, m := range ca.ByMission {
			if m.Code == mission {
				return m.InTransit, nil
			}
		}
		return 0, nil
	}
	for {
		select {
		case <-stop:
			return out
		case <-time.After(500 * time.Millisecond):
		}
		before, err := inTransit()
		if err != nil {
			fmt.Fprintln(os.Stderr, "probe:", err)
			return out
		}
		// Departed when the person is in the country, returned when in
		// transit: either moves the mission's in_transit count by one.
		var pd struct {
			Person struct {
				Status string `json:"status"`
			} `json:"person"`
		}
		if err := c.call("GET", "/api/v1/people/"+person, nil, &pd); err != nil {
			fmt.Fprintln(os.Stderr, "probe:", err)
			return out
		}
		cp, want := "departed", before+1
		if pd.Person.Status == "in_transit" {
			cp, want = "returned", before-1
		}
		// A second later than the previous probe, so that the two never
		// share a second.
		time.Sleep(time.Second)
		at := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
		if err := c.call("POST", "/api/v1/people/"+person+"/track", map[string]string{"checkpoint": cp, "at": at, "note": "probe"}, nil); err != nil {
			fmt.Fprintln(os.Stderr, "probe:", err)
			return out
		}
		acked := time.Now()
		for {
			n, err := inTransit()
			if err != nil {
				fmt.Fprintln(os.Stderr, "probe:", err)
				return out
			}
			if n == want {
				out = append(out, time.Since(acked))
				break
			}
			if time.Since(acked) > 60*time.Second {
				fmt.Fprintln(os.Stderr, "probe: the census did not show the write within 60 s")
				return out
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// readPeople reads the ids of the people file, shuffled, without the
// people of the last mission; the first person of that mission in the
// country is the probe.
func readPeople(path string) (ids []string, probeMission, probe string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", "", err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, "", "", fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	type row struct{ id, mission, status string }
	var rows []row
	last := ""
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", "", fmt.Errorf("%s: %w", path, err)
		}
		x := row{strings.Clone(rec[col["id"]]), strings.Clone(rec[col["mission"]]), rec[col["status"]]}
		if x.mission > last {
			last = x.mission
		}
		if x.status != "in_country" {
			x.status = "other"
		}
		rows = append(rows, x)
	}
	for _, x := range rows {
		if x.mission == last {
			if probe == "" && x.status == "in_country" {
				probe = x.id
			}
			continue
		}
		ids = append(ids, x.id)
	}
	if probe == "" {
		return nil, "", "", fmt.Errorf("%s: nobody of mission %s is in the country to probe the census with", path, last)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids, last, probe, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "trackload:", err)
	os.Exit(1)
}
