package store

import (
	"sync/atomic"
	"testing"
	"time"
)

// A notifier stopped at once after its first poke still sends that
// notification and ends; one poked after it stopped sends nothing. The
// goroutine used to read its channel after stop had cleared it, and
// waited on a nil channel for ever (so did stop, and Close with it).
func TestNotifierStopsAfterSendingWhatIsPending(t *testing.T) {
	for range 2000 {
		var n notifier
		var sent atomic.Int32
		n.poke(func() { sent.Add(1) })
		stopped := make(chan struct{})
		go func() { n.stop(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(time.Minute): // a hang guard, not a time limit
			t.Fatal("stop never returned")
		}
		if sent.Load() != 1 {
			t.Fatalf("%d notifications sent for one poke, want 1", sent.Load())
		}
		n.poke(func() { sent.Add(1) })
		if sent.Load() != 1 {
			t.Fatal("a stopped notifier sent")
		}
	}
}

// Pokes that arrive while one notification is being sent are sent as one.
func TestNotifierCoalesces(t *testing.T) {
	var n notifier
	release := make(chan struct{})
	var sent atomic.Int32
	send := func() { sent.Add(1); <-release }
	n.poke(send)
	for sent.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	for range 100 {
		n.poke(send)
	}
	close(release)
	n.stop()
	if got := sent.Load(); got != 2 {
		t.Fatalf("%d notifications for one poke and 100 during its send, want 2", got)
	}
}
