package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/internal/jsonstr"
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
	// Failed are the reasons for refusal (rule.condition): conditions of
	// granting rules not met, and conditions of exceptions (deny rules) that
	// apply. Missing are the fields still needed.
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

// DecisionLog appends decisions to a JSONL file. Records are written by
// group commit: while one write is under way, the records that arrive wait
// together, and the next write takes them all. Each Append returns once
// its record is written (in the operating system's hands, so a crash of
// the server loses none that was answered), and under load the log costs
// one write for many decisions rather than one write, and one turn at a
// lock, for each.
type DecisionLog struct {
	mu       sync.Mutex
	written  sync.Cond      // signalled when a write finishes
	f        io.WriteCloser // the file
	path     string         // where f was opened: Reopen opens it again
	unmasked bool
	// pending holds the records waiting to be written, queued records in
	// all, done the records written so far; writing is set while a write
	// is under way (outside mu); spare is the buffer last written, reused.
	pending, spare []byte
	queued, done   uint64
	writing        bool
	err            error // the first failed write: later appends fail at once
	closed         bool
}

// OpenDecisionLog opens (or creates) the log for appending. With unmasked,
// identifiers are kept.
func OpenDecisionLog(path string, unmasked bool) (*DecisionLog, error) {
	f, err := openLogFile(path)
	if err != nil {
		return nil, err
	}
	l := &DecisionLog{f: f, path: path, unmasked: unmasked}
	l.written.L = &l.mu
	return l, nil
}

// Append records one decision and returns its id once the record is
// written, so a crash loses none that was answered.
func (l *DecisionLog) Append(now time.Time, raw []byte, h *household.Household, res *engine.Result) (string, error) {
	id := newID()
	sum := sha256.Sum256(raw)
	in := h
	if !l.unmasked {
		in = Mask(h)
	}
	d := Decision{Time: now.UTC().Format(time.RFC3339Nano), DecisionID: id, RulePack: res.RulePack, InputHash: "sha256:" + hex.EncodeToString(sum[:]),
		AsOf: res.AsOf, Input: in, Masked: !l.unmasked}
	buf := getBuffer()
	defer putBuffer(buf)
	buf.B = appendDecision(buf.B[:0], &d, res)
	buf.B = append(buf.B, '\n')
	if err := l.write(buf.B); err != nil {
		return "", err
	}
	return id, nil
}

// write queues a record and returns once it is written: by this goroutine,
// with all records queued meanwhile, when no write is under way; else by
// the goroutine whose write is.
func (l *DecisionLog) write(rec []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return os.ErrClosed
	}
	if l.err != nil {
		return l.err
	}
	l.pending = append(l.pending, rec...)
	l.queued++
	mine := l.queued
	for l.done < mine && l.err == nil {
		if l.writing {
			l.written.Wait()
			continue
		}
		l.flushLocked()
	}
	return l.err
}

// flushLocked writes all pending records, releasing mu during the write.
func (l *DecisionLog) flushLocked() {
	buf, upto := l.pending, l.queued
	l.pending, l.spare = l.spare[:0], nil
	l.writing = true
	l.mu.Unlock()
	_, err := l.f.Write(buf)
	l.mu.Lock()
	l.writing = false
	if err != nil && l.err == nil {
		l.err = err
	}
	l.done = upto
	if cap(buf) <= 1<<20 {
		l.spare = buf[:0]
	}
	l.written.Broadcast()
}

// appendDecision writes d as JSON with its results condensed from res (d's
// own Results are not read): what encoding/json writes for d with Results
// set to Outcomes(res), HTML escaping off, several times faster.
func appendDecision(dst []byte, d *Decision, res *engine.Result) []byte {
	dst = append(dst, `{"time":`...)
	dst = jsonstr.Append(dst, d.Time)
	dst = append(dst, `,"decision_id":`...)
	dst = jsonstr.Append(dst, d.DecisionID)
	dst = append(dst, `,"rule_pack":{"id":`...)
	dst = jsonstr.Append(dst, d.RulePack.ID)
	dst = append(dst, `,"version":`...)
	dst = jsonstr.Append(dst, d.RulePack.Version)
	dst = append(dst, `,"hash":`...)
	dst = jsonstr.Append(dst, d.RulePack.Hash)
	dst = append(dst, `},"input_hash":`...)
	dst = jsonstr.Append(dst, d.InputHash)
	dst = append(dst, `,"as_of":`...)
	dst = jsonstr.Append(dst, d.AsOf)
	dst = append(dst, `,"input":`...)
	dst = household.AppendJSON(dst, d.Input)
	dst = append(dst, `,"masked":`...)
	dst = strconv.AppendBool(dst, d.Masked)
	dst = append(dst, `,"results":[`...)
	for i := range res.Determinations {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendOutcome(dst, &res.Determinations[i])
	}
	return append(dst, ']', '}')
}

// joined writes a+sep+b as one JSON string.
func joined(dst []byte, a string, sep byte, b string) []byte {
	dst = append(dst, '"')
	dst = append(jsonstr.AppendInner(dst, a), sep)
	return append(jsonstr.AppendInner(dst, b), '"')
}

// appendOutcome writes the Outcome of one determination (see Outcomes).
func appendOutcome(dst []byte, d *engine.Determination) []byte {
	dst = append(dst, `{"benefit":`...)
	dst = jsonstr.Append(dst, d.Benefit)
	dst = append(dst, `,"subject":`...)
	dst = jsonstr.Append(dst, d.Subject)
	dst = append(dst, `,"status":`...)
	dst = jsonstr.Append(dst, string(d.Status))
	if d.Modality != "" {
		dst = append(dst, `,"modality":`...)
		dst = jsonstr.Append(dst, string(d.Modality))
	}
	if d.Amount != nil {
		dst = append(dst, `,"amount":`...)
		dst = joined(dst, d.Amount.Yuan, '/', d.Amount.Per)
	}
	if d.Period != nil && d.Period.To != "" {
		dst = append(dst, `,"period_to":`...)
		dst = jsonstr.Append(dst, d.Period.To)
	}
	dst = append(dst, `,"rules":`...)
	dst = jsonstr.AppendStrings(dst, d.Rules)
	if len(d.Reasons) > 0 {
		dst = append(dst, `,"failed":[`...)
		for i, r := range d.Reasons {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = joined(dst, r.Rule, '.', r.Condition)
		}
		dst = append(dst, ']')
	}
	if len(d.Missing) > 0 {
		dst = append(dst, `,"missing":[`...)
		for i, m := range d.Missing {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsonstr.Append(dst, m.Field)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// Close flushes and closes the log.
func (l *DecisionLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return os.ErrClosed
	}
	l.closed = true // appends from now on fail; those queued are written
	for l.writing {
		l.written.Wait()
	}
	if len(l.pending) > 0 && l.err == nil {
		l.flushLocked()
	}
	if err := l.f.Close(); err != nil {
		return err
	}
	return l.err
}

// Reopen closes the log's file and opens its path again, creating it if
// need be: after the file has been renamed for rotation (logrotate, or an
// operator's mv), the records that follow go to a new file under the old
// name. Records queued before the call are written to the old file first,
// so none is lost or split between the two. If the path cannot be opened,
// the old file stays open and keeps receiving records, and the error says
// why. A log whose write has failed stays failed (every append answers
// S500 until the server restarts), and Reopen returns that error.
func (l *DecisionLog) Reopen() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return os.ErrClosed
	}
	if l.path == "" {
		return errors.New("decision log: not opened from a path, nothing to reopen")
	}
	for l.writing {
		l.written.Wait()
	}
	if len(l.pending) > 0 && l.err == nil {
		l.flushLocked() // returns with mu held and no write under way
	}
	if l.err != nil {
		return l.err
	}
	f, err := openLogFile(l.path)
	if err != nil {
		return fmt.Errorf("decision log: reopening %s: %w (records still go to the file open before)", l.path, err)
	}
	old := l.f
	l.f = f
	if err := old.Close(); err != nil {
		return fmt.Errorf("decision log: closing the file before %s was reopened: %w", l.path, err)
	}
	return nil
}

func openLogFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
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
