package main

import (
	"context"
	"sync"
	"testing"

	"entitle/engine"
	"entitle/engine/facts"
)

var (
	once  sync.Once
	setUp *setup
	err0  error
)

func get(b testing.TB) *setup {
	once.Do(func() { setUp, err0 = prepare(1000) })
	if err0 != nil {
		b.Fatal(err0)
	}
	return setUp
}

// TestAgreement: the plain Go and Rego versions decide every household as
// the engine does, so the timings compare like with like.
func TestAgreement(t *testing.T) {
	s := get(t)
	p := s.national.Pack()
	opts := []engine.EvalOption{engine.AsOf(asOf), engine.Lean(), engine.Benefits(codes...)}
	brief := []engine.EvalOption{engine.AsOf(asOf), engine.Brief(), engine.Benefits(codes...)}
	var scratch *facts.Subject
	for _, h := range s.households {
		want, err := celStatuses(s.national, h, opts)
		if err != nil {
			continue
		}
		if b, _ := celStatuses(s.national, h, brief); !same(want, b) {
			t.Fatalf("%s: brief %v, lean %v", h.ID, b, want)
		}
		var got map[string]string
		got, scratch = nationalGo(s.ix, p, h, asOf, scratch)
		if !same(want, got) {
			t.Fatalf("%s: plain Go %v, engine %v", h.ID, got, want)
		}
		r, sub, err := s.regoStatuses(h, scratch)
		scratch = sub
		if err != nil {
			t.Fatal(err)
		}
		if !same(want, r) {
			t.Fatalf("%s: Rego %v, engine %v", h.ID, r, want)
		}
	}
}

func BenchmarkPlainGo(b *testing.B) {
	s := get(b)
	p := s.national.Pack()
	var scratch *facts.Subject
	i := 0
	for b.Loop() {
		_, scratch = nationalGo(s.ix, p, s.households[i%len(s.households)], asOf, scratch)
		i++
	}
}

func BenchmarkCEL(b *testing.B) {
	s := get(b)
	opts := []engine.EvalOption{engine.AsOf(asOf), engine.Brief(), engine.Benefits(codes...)}
	i := 0
	for b.Loop() {
		s.national.Evaluate(context.Background(), s.households[i%len(s.households)], opts...)
		i++
	}
}

func BenchmarkRego(b *testing.B) {
	s := get(b)
	var scratch *facts.Subject
	i := 0
	for b.Loop() {
		_, scratch, _ = s.regoStatuses(s.households[i%len(s.households)], scratch)
		i++
	}
}
