package csvin

// dniSet remembers the accepted rows of a roster by DNI. A bitmap answers
// "seen before?" without hashing, which matters at half a million rows; the
// map from DNI to row is only built once a DNI repeats.
type dniSet struct {
	chunks [][]uint64 // bitmap of DNIs, 1<<16 bits per chunk, made when first touched
	rows   []dniRow   // accepted rows in file order
	index  map[uint32]int
}

type dniRow struct {
	dni  uint32
	line int32
	hash uint64
}

const chunkBits = 16

func (s *dniSet) bit(dni uint32) (chunk []uint64, word int, mask uint64) {
	c := int(dni >> chunkBits)
	if c >= len(s.chunks) {
		return nil, 0, 0
	}
	off := dni & (1<<chunkBits - 1)
	return s.chunks[c], int(off / 64), 1 << (off % 64)
}

// lookup returns the accepted row with this DNI, if any.
func (s *dniSet) lookup(dni uint32) (dniRow, bool) {
	chunk, w, mask := s.bit(dni)
	if chunk == nil || chunk[w]&mask == 0 {
		return dniRow{}, false
	}
	if s.index == nil {
		s.index = make(map[uint32]int, len(s.rows))
		for i, r := range s.rows {
			s.index[r.dni] = i
		}
	}
	return s.rows[s.index[dni]], true
}

// add records an accepted row whose DNI lookup did not find.
func (s *dniSet) add(dni uint32, line int, hash uint64) {
	c := int(dni >> chunkBits)
	for c >= len(s.chunks) {
		s.chunks = append(s.chunks, nil)
	}
	if s.chunks[c] == nil {
		s.chunks[c] = make([]uint64, 1<<chunkBits/64)
	}
	chunk, w, mask := s.bit(dni)
	chunk[w] |= mask
	s.rows = append(s.rows, dniRow{dni: dni, line: int32(line), hash: hash})
	if s.index != nil {
		s.index[dni] = len(s.rows) - 1
	}
}
