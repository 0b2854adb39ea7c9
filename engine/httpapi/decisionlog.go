package httpapi

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"time"

	"entitle/engine"
	"entitle/engine/household"
)

// Decision is one evaluation served, as the decision log records it: enough
// to show later what was decided, on which rule pack, from which input, and
// to re-evaluate it under another pack (entitle replay).
type Decision struct {
	Time       string      `json:"time"`
	DecisionID string      `json:"decision_id"`
	RulePack   engine.Pack `json:"rule_pack"`
	// InputHash is the SHA-256 of the record as received, before masking:
	// it matches an applicant's record without storing identifiers.
	InputHash string `json:"input_hash"`
	AsOf      string `json:"as_of"`
	// Input is the record, with citizen IDs, certificate numbers and names
	// masked (unless the server runs with --log-unmasked).
	Input   *household.Household `json:"input"`
	Masked  bool                 `json:"masked"`
	Results []Outcome            `json:"results"`
}

// Outcome is the gist of one determination.
type Outcome struct {
	Benefit  string   `json:"benefit"`
	Subject  string   `json:"subject"`
	Status   string   `json:"status"`
	Modality string   `json:"modality,omitempty"`
	Amount   string   `json:"amount,omitempty"`
	PeriodTo string   `json:"period_to,omitempty"`
	Rules    []string `json:"rules"`
	// Failed are the conditions not met (rule.condition), Missing the fields
	// still needed.
	Failed  []string `json:"failed,omitempty"`
	Missing []string `json:"missing,omitempty"`
}

// Outcomes condenses a result.
func Outcomes(res *engine.Result) []Outcome {
	out := make([]Outcome, 0, len(res.Determinations))
	for _, d := range res.Determinations {
		o := Outcome{Benefit: d.Benefit, Subject: d.Subject, Status: string(d.Status), Modality: string(d.Modality), Rules: d.Rules}
		if d.Amount != nil {
			o.Amount = d.Amount.Yuan + "/" + d.Amount.Per
		}
		if d.Period != nil {
			o.PeriodTo = d.Period.To
		}
		for _, r := range d.Reasons {
			o.Failed = append(o.Failed, r.Rule+"."+r.Condition)
		}
		for _, m := range d.Missing {
			o.Missing = append(o.Missing, m.Field)
		}
		out = append(out, o)
	}
	return out
}

// DecisionLog appends decisions to a JSONL file.
type DecisionLog struct {
	mu       sync.Mutex
	f        *os.File
	w        *bufio.Writer
	unmasked bool
}

// OpenDecisionLog opens (or creates) the log for appending. With unmasked,
// identifiers are kept.
func OpenDecisionLog(path string, unmasked bool) (*DecisionLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	return &DecisionLog{f: f, w: bufio.NewWriter(f), unmasked: unmasked}, nil
}

// Append records one decision; each is flushed, so a crash loses none that
// was answered.
func (l *DecisionLog) Append(now time.Time, raw []byte, h *household.Household, res *engine.Result) (string, error) {
	id := newID()
	sum := sha256.Sum256(raw)
	in := h
	if !l.unmasked {
		in = Mask(h)
	}
	d := Decision{Time: now.UTC().Format(time.RFC3339Nano), DecisionID: id, RulePack: res.RulePack, InputHash: "sha256:" + hex.EncodeToString(sum[:]),
		AsOf: res.AsOf, Input: in, Masked: !l.unmasked, Results: Outcomes(res)}
	b, err := json.Marshal(d)
	if err != nil {
		return "", err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Write(b)
	l.w.WriteByte('\n')
	return id, l.w.Flush()
}

// Close flushes and closes the log.
func (l *DecisionLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Flush()
	return l.f.Close()
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Mask returns a copy of a household with citizen IDs and certificate
// numbers reduced to their first six and last four characters and names to
// their first character. No rule reads them; what a certificate number
// implies (a certificate held) is kept as certificate_valid.
func Mask(h *household.Household) *household.Household {
	c := *h
	c.Members = make([]household.Member, len(h.Members))
	for i, m := range h.Members {
		m.CitizenID = maskMiddle(m.CitizenID)
		if m.Name != "" {
			r := []rune(m.Name)
			m.Name = string(r[0]) + strings.Repeat("*", len(r)-1)
		}
		if m.Disability != nil && m.Disability.CertificateNo != "" {
			d := *m.Disability
			d.CertificateNo = maskMiddle(d.CertificateNo)
			if d.CertificateValid == nil {
				// The number said a certificate is held; the log keeps
				// that fact, which rules read, when the number is masked.
				valid := true
				d.CertificateValid = &valid
			}
			m.Disability = &d
		}
		c.Members[i] = m
	}
	return &c
}

func maskMiddle(s string) string {
	if len(s) <= 10 {
		return strings.Repeat("*", len(s))
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}

// Unmask prepares a logged input for re-evaluation: masked identifiers are
// left out, as no rule reads them (Mask recorded what a certificate number
// implied, certificate_valid).
func Unmask(h *household.Household) *household.Household {
	c := *h
	c.Members = make([]household.Member, len(h.Members))
	for i, m := range h.Members {
		if strings.Contains(m.CitizenID, "*") {
			m.CitizenID = ""
		}
		if m.Disability != nil && strings.Contains(m.Disability.CertificateNo, "*") {
			d := *m.Disability
			d.CertificateNo = ""
			m.Disability = &d
		}
		c.Members[i] = m
	}
	return &c
}
