package store

import "iter"

// prefetch runs seq in its own goroutine and hands its values over in
// chunks, so that reading and checking a file (the producer) runs on one
// core while the database writes on the other. The returned stop must be
// called once the consumer is done; it ends the producer early if the
// consumer gave up, and returns when the producer has finished, after
// which the batch's Err may be read.
func prefetch[T any](seq iter.Seq[T], size int) (<-chan []T, func()) {
	out := make(chan []T, 4)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		chunk := make([]T, 0, size)
		for v := range seq {
			chunk = append(chunk, v)
			if len(chunk) == size {
				select {
				case out <- chunk:
				case <-quit:
					return
				}
				chunk = make([]T, 0, size)
			}
		}
		if len(chunk) > 0 {
			select {
			case out <- chunk:
			case <-quit:
			}
		}
	}()
	stopped := false
	return out, func() {
		if !stopped {
			stopped = true
			close(quit)
		}
		for range out {
		}
		<-done
	}
}
