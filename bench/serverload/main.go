// Command serverload measures the latency of Outpost's server on this
// machine, for bench/server.sh: it signs in, then requests each page and
// API route a bounded number of times from a few concurrent clients and
// prints p50, p99 and throughput per route.
//
//	serverload -url http://127.0.0.1:8090/ -user admin -password-file F -token-file T [-n 400] [-c 4] [-max 60s]
//
// It only talks to loopback addresses, and every route stops after n
// requests or max time, whichever comes first.
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/outpost-org/outpost/bench/loadkit"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8090/", "server (loopback only)")
	user := flag.String("user", "admin", "user to sign in as")
	pwFile := flag.String("password-file", "", "file with the user's password")
	tokenFile := flag.String("token-file", "", "file with an API token")
	n := flag.Int("n", 400, "requests per route")
	c := flag.Int("c", 4, "concurrent clients")
	maxTime := flag.Duration("max", 60*time.Second, "longest time per route")
	people := flag.Int("people", 1_000_000, "people in the database (ids P1…, as bench/peoplegen writes them)")
	flag.Parse()

	if err := loadkit.CheckURL(*base); err != nil {
		fail(err)
	}
	pw := readFile(*pwFile)
	token := readFile(*tokenFile)
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConnsPerHost: *c * 2}
	web := &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := web.PostForm(*base+"signin", url.Values{"name": {*user}, "password": {pw}, "next": {"/"}})
	if err != nil {
		fail(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		fail(fmt.Errorf("sign in as %s: got %s", *user, res.Status))
	}
	api := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	randomID := func() string { return fmt.Sprintf("P%d", 1+rand.IntN(*people)) }
	routes := []struct {
		name   string
		client *http.Client
		target func() string
	}{
		{"dashboard  GET /", web, func() string { return *base }},
		{"people     GET /people", web, func() string { return *base + "people" }},
		{"people     GET /people?after=<random>", web, func() string { return *base + "people?after=" + randomID() }},
		{"people     GET /people?mission=M001", web, func() string { return *base + "people?mission=M001" }},
		{"person     GET /people/<random>", web, func() string { return *base + "people/" + randomID() }},
		{"api        GET /api/v1/census", api, func() string { return *base + "api/v1/census" }},
		{"api        GET /api/v1/census?as_of=2021-04-01", api, func() string { return *base + "api/v1/census?as_of=2021-04-01" }},
		{"api        GET /api/v1/people/<random>", api, func() string { return *base + "api/v1/people/" + randomID() }},
		{"api        GET /api/v1/people?limit=50", api, func() string { return *base + "api/v1/people?limit=50&after=" + randomID() }},
	}
	fmt.Printf("%-42s %8s %8s %8s %8s %9s\n", "route", "requests", "p50 ms", "p99 ms", "max ms", "req/s")
	for _, rt := range routes {
		lat, errs, took := load(rt.client, rt.target, token, *n, *c, *maxTime)
		slices.Sort(lat)
		q := func(p float64) float64 {
			if len(lat) == 0 {
				return 0
			}
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		fmt.Printf("%-42s %8d %8.1f %8.1f %8.1f %9.0f", rt.name, len(lat), q(.50), q(.99), q(1), float64(len(lat))/took.Seconds())
		if errs > 0 {
			fmt.Printf("  (%d errors)", errs)
		}
		fmt.Println()
	}
}

// load sends n requests from c clients (stopping at max) and returns each
// successful request's latency and the count of failures.
func load(client *http.Client, target func() string, token string, n, c int, max time.Duration) ([]time.Duration, int, time.Duration) {
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	jobs := make(chan struct{})
	start := time.Now()
	deadline := start.Add(max)
	go func() {
		for i := 0; i < n && time.Now().Before(deadline); i++ {
			jobs <- struct{}{}
		}
		close(jobs)
	}()
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for range jobs {
				req, _ := http.NewRequest("GET", target(), nil)
				if token != "" && strings.Contains(req.URL.Path, "/api/") {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				ok := err == nil && (res.StatusCode == 200 || res.StatusCode == 404)
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				d := time.Since(t0)
				mu.Lock()
				if ok {
					lat = append(lat, d)
				} else {
					errs++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return lat, errs, time.Since(start)
}

func readFile(name string) string {
	if name == "" {
		return ""
	}
	b, err := os.ReadFile(name)
	if err != nil {
		fail(err)
	}
	return strings.TrimSpace(string(b))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "serverload:", err)
	os.Exit(1)
}
