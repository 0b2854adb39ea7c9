package audit

import (
	"bufio"
	"encoding/json"
	"io"
)

// JSONLSink writes one JSON object a line: each finding
// ({"kind":"finding",...}), then one line per summary cell
// ({"kind":"summary",...}), then the reconciliation
// ({"kind":"reconciliation",...}).
type JSONLSink struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewJSONLSink writes to w.
func NewJSONLSink(w io.Writer) *JSONLSink {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLSink{w: bw, enc: enc}
}

type findingLine struct {
	Kind string `json:"kind"`
	*Finding
}

type cellLine struct {
	Kind string `json:"kind"`
	*Cell
}

type reconLine struct {
	Kind     string      `json:"kind"`
	AsOf     string      `json:"as_of"`
	RulePack interface{} `json:"rule_pack"`
	Benefits []string    `json:"benefits"`
	*Reconciliation
}

// Finding writes one finding.
func (s *JSONLSink) Finding(f *Finding) error { return s.enc.Encode(findingLine{"finding", f}) }

// Finish writes the summary and the reconciliation, and flushes.
func (s *JSONLSink) Finish(r *Report) error {
	for i := range r.Summary {
		if err := s.enc.Encode(cellLine{"summary", &r.Summary[i]}); err != nil {
			return err
		}
	}
	if err := s.enc.Encode(reconLine{"reconciliation", r.AsOf, r.RulePack, r.Benefits, &r.Reconciliation}); err != nil {
		return err
	}
	return s.w.Flush()
}
