package importer

import (
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestKeySetFindsEveryRepeat: whatever the keys and their order, the key
// set answers a repeat with the line the key was first seen on, exactly as
// a map of the keys themselves does, through every growth of its index and
// across its blocks.
func TestKeySetFindsEveryRepeat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Few distinct keys make repeats; many rows make the index grow.
		distinct := rapid.IntRange(1, 3*keyBlock).Draw(t, "distinct")
		rows := rapid.IntRange(0, 4*keyBlock).Draw(t, "rows")
		seed := rapid.Uint64().Draw(t, "seed")
		s := newKeySet()
		want := map[string]int{}
		x := seed | 1
		for line := 2; line < rows+2; line++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			key := "K" + strconv.FormatUint(x%uint64(distinct), 36)
			first, dup := s.add([]byte(key), line)
			w, seen := want[key]
			if dup != seen || (seen && first != w) {
				t.Fatalf("line %d, key %q: got (%d, %v), want (%d, %v)", line, key, first, dup, w, seen)
			}
			if !seen {
				want[key] = line
			}
		}
		if s.n != len(want) {
			t.Fatalf("holds %d keys, want %d", s.n, len(want))
		}
	})
}

// TestKeySetKeepsKeysApart: keys that differ in one byte, share a prefix
// or are empty are told apart, and a key's line survives the index
// growing many times after it.
func TestKeySetKeepsKeysApart(t *testing.T) {
	s := newKeySet()
	keys := []string{"", "a", "b", "ab", "a\x00", "1:a", strings.Repeat("x", 10_000)}
	for i, k := range keys {
		if _, dup := s.add([]byte(k), i+1); dup {
			t.Fatalf("%q taken for an earlier key", k)
		}
	}
	const n = 300_000
	for i := range n {
		if _, dup := s.add(fmt.Appendf(nil, "P%d", i), 100+i); dup {
			t.Fatalf("P%d taken for an earlier key", i)
		}
	}
	for i, k := range keys {
		if first, dup := s.add([]byte(k), 1e9); !dup || first != i+1 {
			t.Errorf("%q again: got (%d, %v), want (%d, true)", k, first, dup, i+1)
		}
	}
	if first, dup := s.add([]byte("P123456"), 1e9); !dup || first != 100+123456 {
		t.Errorf("P123456 again: got (%d, %v)", first, dup)
	}
	// The index stays at most three quarters full and is a power of two.
	if len(s.index)&(len(s.index)-1) != 0 || s.n*4 > len(s.index)*3 {
		t.Errorf("index of %d slots for %d keys", len(s.index), s.n)
	}
}

// BenchmarkKeySet is the duplicate check of a million ids: its memory
// (B/op) against a Go map of the two hashes the reader kept before.
func BenchmarkKeySet(b *testing.B) {
	ids := make([][]byte, 1_000_000)
	for i := range ids {
		ids[i] = fmt.Appendf(nil, "%d:P%d", len(strconv.Itoa(i))+1, i+1)
	}
	b.Run("set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := newKeySet()
			for i, id := range ids {
				if _, dup := s.add(id, i+2); dup {
					b.Fatal("duplicate")
				}
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		seeds := [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
		for b.Loop() {
			m := map[[2]uint64]int32{}
			for i, id := range ids {
				h := [2]uint64{maphash.Bytes(seeds[0], id), maphash.Bytes(seeds[1], id)}
				if _, dup := m[h]; dup {
					b.Fatal("duplicate")
				}
				m[h] = int32(i + 2)
			}
		}
	})
}

// FuzzKeySet: keys of any bytes, one a line, repeats anywhere: the set
// answers exactly as a map of the keys does.
func FuzzKeySet(f *testing.F) {
	for _, s := range []string{"", "a\na\n", "\n\n", "a\nb\nab\na\x00\nb\n", "1:a\n1:a\n2:ab\n", strings.Repeat("x\ny\n", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		s := newKeySet()
		want := map[string]int{}
		for line, key := range strings.Split(content, "\n") {
			first, dup := s.add([]byte(key), line+1)
			w, seen := want[key]
			if dup != seen || (seen && first != w) {
				t.Fatalf("line %d, key %q: got (%d, %v), want (%d, %v)", line+1, key, first, dup, w, seen)
			}
			if !seen {
				want[key] = line + 1
			}
		}
	})
}
