package email

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	gomail "github.com/wneessen/go-mail"

	"github.com/outpost-org/outpost/internal/channel"
	"github.com/outpost-org/outpost/internal/channel/email/emailtest"
)

// The benchmarks send a roll-call link message to the local test server
// (STARTTLS, AUTH PLAIN) from 8 goroutines, and report messages a
// second. The baseline is go-mail as the welfare notices use it: one
// DialAndSend per message (connect, EHLO, STARTTLS, AUTH, send, QUIT).

const benchBody = "Здравствуйте! Перекличка посольства: вы в безопасности?\nОтветьте по ссылке https://outpost.test/c/AbCdEf123456 или ответьте 1 (в безопасности) или 2 (нужна помощь)."

func benchMessage(i int64) channel.Message {
	to := "p" + strconv.FormatInt(i, 10) + "@ru.test"
	return channel.Message{Key: "link|1|" + to, To: to, Subject: "Перекличка: вы в безопасности?", Body: benchBody, Language: "ru"}
}

func BenchmarkSend(b *testing.B) {
	for _, conns := range []int{1, 4, 8} {
		b.Run(fmt.Sprintf("pool=%d", conns), func(b *testing.B) {
			srv := emailtest.Start(b)
			s, err := New(srv.Config(), WithRootCAs(srv.Roots), WithConnections(conns), WithHELO("outpost.post.test"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var n atomic.Int64
			b.SetParallelism(goroutines())
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Send(context.Background(), benchMessage(n.Add(1))); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			b.StopTimer()
			if srv.Total() != b.N {
				b.Fatalf("the server received %d of %d", srv.Total(), b.N)
			}
			b.ReportMetric(float64(srv.Connections()), "conns")
		})
	}
}

// BenchmarkDialAndSend is the baseline: a connection per message.
func BenchmarkDialAndSend(b *testing.B) {
	srv := emailtest.Start(b)
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	var n atomic.Int64
	b.SetParallelism(goroutines())
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c, err := gomail.NewClient(host, gomail.WithPort(p), gomail.WithTLSPolicy(gomail.TLSMandatory),
				gomail.WithTLSConfig(&tls.Config{RootCAs: srv.Roots, ServerName: host}),
				gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(emailtest.User), gomail.WithPassword(emailtest.Password),
				gomail.WithHELO("outpost.post.test"))
			if err != nil {
				b.Fatal(err)
			}
			m := benchMessage(n.Add(1))
			msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
			msg.From("outpost@post.test")
			msg.To(m.To)
			msg.Subject(m.Subject)
			msg.SetDate()
			msg.SetMessageID()
			msg.SetBodyString(gomail.TypeTextPlain, m.Body)
			if err := c.DialAndSendWithContext(context.Background(), msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.StopTimer()
	if srv.Total() != b.N {
		b.Fatalf("the server received %d of %d", srv.Total(), b.N)
	}
}

// goroutines makes RunParallel run 8 goroutines whatever GOMAXPROCS is.
func goroutines() int { return max(1, 8/runtime.GOMAXPROCS(0)) }
