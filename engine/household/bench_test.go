package household_test

import (
	"encoding/json"
	"os"
	"testing"

	"entitle/engine/household"
)

// BenchmarkDecodeJSONFast measures the batch decoding path.
func BenchmarkDecodeJSONFast(b *testing.B) {
	data, _ := os.ReadFile("../../testdata/households/houma-phase-out.yaml")
	h, _, err := household.Decode(data, household.DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	line, _ := json.Marshal(h)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := household.DecodeJSONFast(line); err != nil {
			b.Fatal(err)
		}
	}
}
