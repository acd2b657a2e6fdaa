// Command freshness measures, for bench/freshness.sh, how soon Outpost's
// census counts a write: it records tracking events through the API one
// at a time and, after each 2xx, asks GET /api/v1/census (of the same
// server, or of a second one with -read-url) until the answer counts the
// event. It prints p50/p99/max of that time, and, with -pid, the CPU the
// server process spent per write, with what its metrics say the census
// updates took.
//
//	freshness -url http://127.0.0.1:8090/ -token-file T [-read-url URL] [-n 50] [-people 1000000] [-pid PID]
//
// It only talks to loopback addresses; each write waits at most -max for
// the census to count it (a write never counted is reported, not hidden).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/bench/loadkit"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8090/", "server that takes the writes (loopback only)")
	readURL := flag.String("read-url", "", "server whose census is read (default: -url)")
	tokenFile := flag.String("token-file", "", "file with an admin's API token")
	n := flag.Int("n", 50, "writes")
	people := flag.Int("people", 1_000_000, "people in the database (ids P1…, as bench/peoplegen writes them)")
	maxWait := flag.Duration("max", 30*time.Second, "longest wait for one write to be counted")
	pause := flag.Duration("pause", 2*time.Millisecond, "pause between two census requests while waiting")
	pid := flag.Int("pid", 0, "server process whose CPU time is read from /proc (0: not read)")
	seed := flag.Uint64("seed", 1, "random seed: which people are tracked")
	flag.Parse()
	if *readURL == "" {
		*readURL = *base
	}
	for _, u := range []string{*base, *readURL} {
		if err := loadkit.CheckURL(u); err != nil {
			fail(err)
		}
	}
	if *n < 1 || *n > 10_000 {
		fail(fmt.Errorf("-n %d: want 1 to 10000", *n))
	}
	c := &client{token: strings.TrimSpace(readFile(*tokenFile)), http: &http.Client{Timeout: 2 * time.Minute}}
	rng := rand.New(rand.NewPCG(*seed, 7))

	cpu0 := cpuTime(*pid)
	m0 := c.metrics(*base)
	var waits []time.Duration
	lost := 0
	for range *n {
		id := fmt.Sprintf("P%d", 1+rng.IntN(*people))
		var p struct {
			Person struct {
				Status string `json:"status"`
			} `json:"person"`
		}
		c.get(*base+"api/v1/people/"+id, &p)
		before := c.inCountry(*readURL)
		cp, want := "returned", before+1
		if p.Person.Status == "in_country" {
			cp, want = "departed", before-1
		}
		c.post(*base+"api/v1/people/"+id+"/track", fmt.Sprintf(`{"checkpoint":%q}`, cp))
		start := time.Now()
		for {
			if c.inCountry(*readURL) == want {
				waits = append(waits, time.Since(start))
				break
			}
			if time.Since(start) > *maxWait {
				lost++
				break
			}
			time.Sleep(*pause)
		}
	}
	cpu1 := cpuTime(*pid)
	m1 := c.metrics(*base)

	slices.Sort(waits)
	q := func(f float64) time.Duration {
		if len(waits) == 0 {
			return 0
		}
		return waits[min(len(waits)-1, int(f*float64(len(waits))))]
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Printf("freshness over %d writes: p50 %s, p99 %s, max %s; not counted within %s: %d\n",
		len(waits), ms(q(.5)), ms(q(.99)), ms(q(1)), *maxWait, lost)
	if *pid > 0 {
		fmt.Printf("server CPU per write (the write, the census update, the census requests while waiting): %.2f ms\n",
			(cpu1-cpu0).Seconds()*1000/float64(*n))
	}
	for _, k := range []string{"build", "apply"} {
		cnt := m1["outpost_census_snapshot_"+k+"_seconds_count"] - m0["outpost_census_snapshot_"+k+"_seconds_count"]
		sum := m1["outpost_census_snapshot_"+k+"_seconds_sum"] - m0["outpost_census_snapshot_"+k+"_seconds_sum"]
		if cnt > 0 {
			fmt.Printf("census %s: %.0f times, %.3f ms each, %.3f ms per write\n", map[string]string{"build": "full rebuilds", "apply": "updates applied"}[k],
				cnt, sum*1000/cnt, sum*1000/float64(*n))
		}
	}
}

type client struct {
	token string
	http  *http.Client
}

func (c *client) do(method, u, body string) []byte {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		fail(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		fail(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		fail(err)
	}
	if res.StatusCode/100 != 2 {
		fail(fmt.Errorf("%s %s: %s %s", method, u, res.Status, bytes.TrimSpace(b)))
	}
	return b
}

func (c *client) get(u string, v any) {
	if err := json.Unmarshal(c.do("GET", u, ""), v); err != nil {
		fail(fmt.Errorf("GET %s: %w", u, err))
	}
}

func (c *client) post(u, body string) { c.do("POST", u, body) }

func (c *client) inCountry(base string) int {
	var v struct {
		InCountry int `json:"in_country"`
	}
	c.get(base+"api/v1/census", &v)
	return v.InCountry
}

// metrics reads the server's Prometheus metrics: name → value, for the
// lines without labels.
func (c *client) metrics(base string) map[string]float64 {
	out := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(c.do("GET", base+"metrics", "")))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && !strings.HasPrefix(f[0], "#") {
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				out[f[0]] = v
			}
		}
	}
	return out
}

// cpuTime reads the user and system CPU time of process pid.
func cpuTime(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		fail(err)
	}
	// The fields after the command name (in parentheses): utime and stime
	// are the 12th and 13th, in clock ticks (100 a second on Linux).
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

func readFile(name string) string {
	if name == "" {
		return ""
	}
	b, err := os.ReadFile(name)
	if err != nil {
		fail(err)
	}
	return string(b)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "freshness:", err)
	os.Exit(1)
}
