package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-org/outpost/internal/channel"
	"github.com/outpost-org/outpost/internal/channel/webhook/webhooktest"
)

// The benchmarks post a roll-call link message to the local test bridge
// (which verifies each signature) from 8 goroutines and report messages
// a second. The baseline is a bare http.Post of the same signed body
// with Go's default client (two idle connections per host).

const benchText = "Здравствуйте! Перекличка посольства: вы в безопасности? Ответьте 1 (в безопасности) или 2 (нужна помощь), или по ссылке https://outpost.test/c/AbCdEf123456"

func goroutines() int { return max(1, 8/runtime.GOMAXPROCS(0)) }

func BenchmarkSend(b *testing.B) {
	br := webhooktest.Start(b)
	s, err := New(br.Config())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var n atomic.Int64
	b.SetParallelism(goroutines())
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			to := "signal:+7916" + strconv.FormatInt(n.Add(1), 10)
			if _, err := s.Send(context.Background(), channel.Message{Key: "link|1|" + to, To: to, Body: benchText, Language: "ru"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.StopTimer()
	if br.Total() != b.N {
		b.Fatalf("the bridge took %d of %d", br.Total(), b.N)
	}
	b.ReportMetric(float64(br.Connections()), "conns")
}

func BenchmarkHTTPPost(b *testing.B) {
	br := webhooktest.Start(b)
	var n atomic.Int64
	b.SetParallelism(goroutines())
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			to := "signal:+7916" + strconv.FormatInt(n.Add(1), 10)
			body, _ := json.Marshal(Request{ID: ID(to), To: to, Text: benchText, Language: "ru"})
			req, _ := http.NewRequest(http.MethodPost, br.URL, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(channel.SignatureHeader, channel.Sign(webhooktest.Secret, time.Now(), body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.StopTimer()
	b.ReportMetric(float64(br.Connections()), "conns")
}
