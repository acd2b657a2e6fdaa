package importer

import "hash/maphash"

// keySet remembers the key of every row of a file, to find a row whose key
// an earlier row has, and that row's line. A file may hold millions of
// rows, and this is all the reader keeps of them, so it is made small: per
// key a 96-bit fingerprint and the line (16 bytes), in order of arrival in
// fixed blocks that never move, and an open-addressing index of 4-byte
// entry numbers at most three quarters full. A million keys take about
// 24 MB, where a Go map from two 64-bit hashes to the line took 53 MB
// (and twice that before the garbage collector caught up).
//
// Two different keys are taken for one only when all 96 bits of their
// fingerprints agree, from two hashes with seeds drawn for each file: for
// the two million rows one import reads at most, about one file in 10^16.
type keySet struct {
	seeds  [2]maphash.Seed
	blocks [][]keyEntry
	n      int
	// index holds entry number + 1 per slot, 0 for an empty one; its
	// length is a power of two.
	index []uint32
	buf   []byte
}

type keyEntry struct {
	hi   uint64 // the first hash, which also places the key in the index
	lo   uint32 // 32 bits of the second hash
	line int32
}

const keyBlock = 1 << 14

func newKeySet() *keySet {
	return &keySet{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// add records key, seen at line; for a key already recorded it answers
// the line where it was first seen, and true, and records nothing.
func (s *keySet) add(key []byte, line int) (int, bool) {
	hi := maphash.Bytes(s.seeds[0], key)
	lo := uint32(maphash.Bytes(s.seeds[1], key))
	if (s.n+1)*4 > len(s.index)*3 {
		s.grow()
	}
	mask := uint64(len(s.index) - 1)
	for i := hi & mask; ; i = (i + 1) & mask {
		k := s.index[i]
		if k == 0 {
			s.index[i] = uint32(s.n + 1)
			s.append(keyEntry{hi: hi, lo: lo, line: int32(line)})
			return 0, false
		}
		if e := s.entry(int(k - 1)); e.hi == hi && e.lo == lo {
			return int(e.line), true
		}
	}
}

func (s *keySet) entry(k int) *keyEntry { return &s.blocks[k/keyBlock][k%keyBlock] }

func (s *keySet) append(e keyEntry) {
	if s.n%keyBlock == 0 {
		// A small first block: most files are short.
		size := keyBlock
		if s.n == 0 {
			size = 64
		}
		s.blocks = append(s.blocks, make([]keyEntry, 0, size))
	}
	b := &s.blocks[len(s.blocks)-1]
	if len(*b) == cap(*b) {
		grown := make([]keyEntry, len(*b), keyBlock)
		copy(grown, *b)
		*b = grown
	}
	*b = append(*b, e)
	s.n++
}

// grow doubles the index and places every entry again.
func (s *keySet) grow() {
	size := max(64, 2*len(s.index))
	s.index = make([]uint32, size)
	mask := uint64(size - 1)
	for k := range s.n {
		i := s.entry(k).hi & mask
		for s.index[i] != 0 {
			i = (i + 1) & mask
		}
		s.index[i] = uint32(k + 1)
	}
}
