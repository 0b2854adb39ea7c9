package engine

// A Scratch holds the memory of one result so that the next evaluation
// into it uses the same memory: a server that encodes each result and
// drops it (as the HTTP API does) allocates less than half as much. The
// result of an evaluation Into a Scratch is valid only until the Scratch
// is used again; a Scratch serves one evaluation at a time. The zero
// Scratch is ready to use.
type Scratch struct {
	names   slab[string] // rule ids and example-value names
	cites   slab[CitationOut]
	reasons slab[Reason]
	facts   slab[FactValue]
	dets    []Determination
	derived []DerivedFact
	notDet  []NotDetermined
	result  Result
}

// Into evaluates into s's memory: the result, its determinations, their
// lists and the derived facts are made in s, over the previous result made
// there, which must no longer be in use.
func Into(s *Scratch) EvalOption { return func(c *evalConfig) { c.into = s } }

// reset prepares s for the next evaluation: with reuse, over the last
// result; without, in new memory.
func (s *Scratch) reset(reuse bool) {
	s.names.reset(reuse)
	s.cites.reset(reuse)
	s.reasons.reset(reuse)
	s.facts.reset(reuse)
	if reuse {
		clear(s.dets)
		clear(s.derived)
		clear(s.notDet)
		s.dets, s.derived, s.notDet = s.dets[:0], s.derived[:0], s.notDet[:0]
	} else {
		s.dets, s.derived, s.notDet = nil, nil, nil
	}
}
