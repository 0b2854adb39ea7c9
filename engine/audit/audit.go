package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"entitle/engine"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// Options tune an audit.
type Options struct {
	// AsOf is the date the roll is checked on: payments current that month
	// are checked. Required.
	AsOf time.Time
	// Workers evaluating households; 0 means GOMAXPROCS.
	Workers int
	// Benefits are the benefit codes audited: every one is checked for
	// entitled-but-not-paid. Nil means the pack's monthly benefits
	// (payment: monthly in benefits.yaml). A payment of any other code is
	// still checked.
	Benefits []string
	// CompareExampleAmounts compares paid amounts with expected amounts that
	// rest on example parameters. Off by default: placeholders are not the
	// local standard, and every amount would differ.
	CompareExampleAmounts bool
	// TempDir holds the sorted runs of the duplicate check ("" = os.TempDir()).
	TempDir string
	// SpillEntries is how many citizen IDs are held in memory before a run is
	// written to disk (0 = 262144, about 25 MB).
	SpillEntries int
	// Progress, if set, is called now and then with the records done.
	Progress func(records int)
}

// Auditor checks rolls against one engine's rule pack. It is safe for
// concurrent use; each Run is independent.
type Auditor struct {
	eng  *engine.Engine
	pack *rulepack.Pack
	opt  Options
	asOf time.Time
	// scope are the audited benefit codes in pack order.
	scope      []string
	scopeIndex map[string]int
	inScope    map[string]bool
	// root is the code a benefit is paid as; group lists the codes paid as
	// the same root, the benefit itself first.
	root      map[string]string
	group     map[string][]string
	jurIndex  map[string]int
	citations map[string][]Citation
	// benefitNames maps each benefit's Chinese name to its code.
	benefitNames map[string]string
	// exclusiveSets holds each exclusive group of the pack as a set.
	exclusiveSets []map[string]bool
	asOfOpt       engine.EvalOption
	opts          []engine.EvalOption // lean, for explaining findings
	briefOpts     []engine.EvalOption // brief, for settling a household
}

// New prepares an auditor.
func New(eng *engine.Engine, opt Options) (*Auditor, error) {
	if opt.AsOf.IsZero() {
		return nil, errors.New("audit: an as-of date is required")
	}
	p := eng.Pack()
	a := &Auditor{eng: eng, pack: p, opt: opt, asOf: opt.AsOf, scopeIndex: map[string]int{}, inScope: map[string]bool{},
		root: map[string]string{}, group: map[string][]string{}, jurIndex: map[string]int{}, citations: map[string][]Citation{},
		benefitNames: map[string]string{}}
	want := map[string]bool{}
	for _, c := range opt.Benefits {
		if _, ok := p.Benefit(c); !ok {
			return nil, fmt.Errorf("audit: unknown benefit code %q", c)
		}
		want[c] = true
	}
	for _, b := range p.Benefits {
		if b.Name.Zh != "" {
			a.benefitNames[b.Name.Zh] = b.Code
		}
		if (opt.Benefits == nil && b.Payment == "monthly") || want[b.Code] {
			a.scopeIndex[b.Code] = len(a.scope)
			a.scope = append(a.scope, b.Code)
			a.inScope[b.Code] = true
		}
		a.root[b.Code] = b.Code
		if b.PaidAs != "" {
			a.root[b.Code] = b.PaidAs
		}
	}
	for _, b := range p.Benefits {
		g := []string{b.Code}
		for _, o := range p.Benefits {
			if o != b && a.root[o.Code] == a.root[b.Code] {
				g = append(g, o.Code)
			}
		}
		a.group[b.Code] = g
	}
	for i, j := range p.Jurisdictions {
		a.jurIndex[j.Code] = i
	}
	for _, x := range p.Exclusives {
		set := map[string]bool{}
		for _, c := range x.Benefits {
			set[c] = true
		}
		a.exclusiveSets = append(a.exclusiveSets, set)
	}
	for _, r := range p.Rules {
		for _, c := range r.AllCitations {
			title := c.Doc
			if d, ok := p.Document(c.Doc); ok {
				title = d.Title
			}
			a.citations[r.ID] = append(a.citations[r.ID], Citation{Rule: r.ID, Doc: c.Doc, Title: title, Section: c.Section, Quote: c.Quote})
		}
	}
	a.asOfOpt = engine.AsOf(opt.AsOf)
	codes := append([]string{}, a.scope...)
	for _, c := range a.scope {
		codes = append(codes, a.group[c]...)
	}
	a.opts = []engine.EvalOption{a.asOfOpt, engine.Lean(), engine.Benefits(codes...)}
	a.briefOpts = []engine.EvalOption{a.asOfOpt, engine.Brief(), engine.Benefits(codes...)}
	if a.opt.Workers <= 0 {
		a.opt.Workers = runtime.GOMAXPROCS(0)
	}
	return a, nil
}

// Scope returns the audited benefit codes.
func (a *Auditor) Scope() []string { return slices.Clone(a.scope) }

// benefit reads a payment's benefit, given by its code or by its Chinese
// name as the pack lists it (重度残疾人护理补贴), as a roll may: the code,
// whether it is paid to a member, and whether it is known.
func (a *Auditor) benefit(name string) (code string, member, ok bool) {
	b, ok := a.pack.Benefit(name)
	if !ok {
		if c, named := a.benefitNames[strings.TrimSpace(name)]; named {
			b, ok = a.pack.Benefit(c)
		}
	}
	if !ok {
		return "", false, false
	}
	return b.Code, b.Scope.String() == "member", true
}

// Sink receives an audit's output: the findings in order, then the report.
type Sink interface {
	Finding(f *Finding) error
	Finish(r *Report) error
}

// Report is an audit's summary and reconciliation.
type Report struct {
	AsOf     string      `json:"as_of"`
	RulePack engine.Pack `json:"rule_pack"`
	// Benefits are the audited benefit codes.
	Benefits       []string       `json:"benefits"`
	Summary        []Cell         `json:"summary"`
	Reconciliation Reconciliation `json:"reconciliation"`
}

// Cell is the summary of one benefit in one jurisdiction.
type Cell struct {
	Jurisdiction string        `json:"jurisdiction"`
	Name         rulepack.Text `json:"jurisdiction_name"`
	Benefit      string        `json:"benefit"`
	BenefitName  rulepack.Text `json:"benefit_name"`
	// Eligible subjects (any modality); of them, those paid.
	Eligible     int `json:"eligible"`
	EligiblePaid int `json:"eligible_paid"`
	// EligibleShall are the eligible subjects the office must pay.
	EligibleShall int `json:"eligible_shall"`
	// Paid are current payments; PaidDue those the rules confirm.
	Paid    int `json:"paid"`
	PaidDue int `json:"paid_due"`
	// Coverage is EligiblePaid / Eligible in percent (nil with none eligible).
	Coverage *float64 `json:"coverage,omitempty"`
	// Target is the plan's indicator for the benefit, if any, and whether
	// the coverage meets it.
	Target    *rulepack.Indicator `json:"target,omitempty"`
	TargetMet *bool               `json:"target_met,omitempty"`
	Findings  map[Class]int       `json:"findings"`
	// Monthly amounts at stake: paid without entitlement or above the amount
	// due, and due but not paid (where the amount is known); UnderpaidUnknown
	// counts unpaid entitlements whose amount the pack does not compute.
	Overpaid         money.Fen `json:"overpaid_monthly"`
	Underpaid        money.Fen `json:"underpaid_monthly"`
	UnderpaidUnknown int       `json:"underpaid_unknown_amounts"`
}

// Reconciliation accounts for every record read.
type Reconciliation struct {
	// Records read = Evaluated + Invalid.
	Records   int `json:"records"`
	Evaluated int `json:"evaluated"`
	Invalid   int `json:"invalid"`
	// Balanced: Records = Evaluated + Invalid, Payments = PaymentsChecked +
	// PaymentsNotCurrent + PaymentsInInvalid and, for a table roll,
	// PaymentRows = Payments and MemberRows = Members + MembersInInvalid.
	Balanced bool `json:"balanced"`
	// Payments read; of them checked (current in the as-of month), not
	// current (future, or ended: ended ones are checked only for running
	// past a phase-out), and in invalid records.
	Payments           int `json:"payments"`
	PaymentsChecked    int `json:"payments_checked"`
	PaymentsNotCurrent int `json:"payments_not_current"`
	PaymentsInInvalid  int `json:"payments_in_invalid_records"`
	// AmountsNotChecked: amounts not compared because the expected amount
	// rests on example parameters (see Options.CompareExampleAmounts).
	AmountsNotChecked int `json:"amounts_not_checked"`
	// Members of the records evaluated, and of them those without a
	// citizen ID (left out of the duplicate check).
	Members          int `json:"members"`
	MembersWithoutID int `json:"members_without_citizen_id"`
	// MembersInInvalid: members of invalid records as far as they could
	// be read: a tabular roll's member rows, or the members of a JSONL line
	// that decoded but failed a check; not those of a line that is not a
	// household at all.
	MembersInInvalid int `json:"members_in_invalid_records"`
	// Counts of table rows (CSV and Excel rolls).
	Counts
	Findings map[Class]int `json:"findings"`
	// TotalFindings is the sum of Findings.
	TotalFindings int `json:"total_findings"`
}

type chunk struct {
	seq  int
	recs []*Record
	outs []*outcome
	buf  *[]byte // the records' lines, when the reader shares one buffer
}

// appendReader is a Reader that can append its records' lines to a
// buffer: a chunk's lines then share one buffer, reused once the chunk is
// evaluated (JSONLReader).
type appendReader interface {
	NextAppend(buf []byte) (*Record, []byte, error)
}

// lineBuffers are chunk buffers for an appendReader.
var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 256<<10); return &b }}

const chunkSize = 64

// Run audits a roll, sending findings to the sink in roll order (duplicate
// persons last, by citizen ID) and then the report.
func (a *Auditor) Run(parent context.Context, r Reader, sink Sink) (*Report, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	workers := a.opt.Workers
	jobs := make(chan *chunk, workers)
	done := make(chan *chunk, workers)
	slots := make(chan struct{}, workers*4) // chunks in flight: memory stays flat
	var readErr error
	go func() {
		defer close(jobs)
		seq := 0
		ar, shared := r.(appendReader)
		for {
			c := &chunk{seq: seq}
			if shared {
				c.buf = lineBuffers.Get().(*[]byte)
			}
			for len(c.recs) < chunkSize {
				var rec *Record
				var err error
				if shared {
					rec, *c.buf, err = ar.NextAppend(*c.buf)
				} else {
					rec, err = r.Next()
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					readErr = err
					cancel()
					return
				}
				c.recs = append(c.recs, rec)
			}
			if len(c.recs) == 0 {
				return
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- c:
			case <-ctx.Done():
				return
			}
			seq++
			if len(c.recs) < chunkSize {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				c.outs = make([]*outcome, len(c.recs))
				for i, rec := range c.recs {
					c.outs[i] = a.process(ctx, rec)
				}
				if c.buf != nil {
					// Nothing decoded keeps a reference to its line.
					for _, rec := range c.recs {
						rec.Line = nil
					}
					if cap(*c.buf) <= 4<<20 { // a chunk of huge lines is not kept
						*c.buf = (*c.buf)[:0]
						lineBuffers.Put(c.buf)
					}
					c.buf = nil
				}
				select {
				case done <- c:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	st := newState(a)
	defer st.ids.close()
	defer st.hids.close()
	pending := map[int]*chunk{}
	next := 0
	var sinkErr error
	for c := range done {
		pending[c.seq] = c
		for {
			c, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-slots
			if sinkErr == nil {
				sinkErr = st.add(c, sink)
				if sinkErr != nil {
					cancel()
				}
			}
		}
	}
	switch {
	case readErr != nil:
		return nil, readErr
	case parent.Err() != nil:
		return nil, parent.Err()
	case sinkErr != nil:
		return nil, sinkErr
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	if err := st.duplicateHouseholds(sink); err != nil {
		return nil, err
	}
	if err := st.duplicates(sink); err != nil {
		return nil, err
	}
	rep := st.report(r)
	if err := sink.Finish(rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// state gathers the outcomes in order.
type state struct {
	a       *Auditor
	cells   map[int][]cellDelta // by jurisdiction index
	rec     Reconciliation
	ids     *spill // members by citizen ID
	hids    *spill // records by household id
	records int
}

func newState(a *Auditor) *state {
	return &state{a: a, cells: map[int][]cellDelta{}, ids: newSpill(a.opt.TempDir, a.opt.SpillEntries),
		hids: newSpill(a.opt.TempDir, a.opt.SpillEntries),
		rec:  Reconciliation{Findings: map[Class]int{}}}
}

func (s *state) add(c *chunk, sink Sink) error {
	for i, o := range c.outs {
		if o == nil {
			return fmt.Errorf("audit stopped at record %d", c.recs[i].N)
		}
		s.rec.Records++
		s.rec.Payments += o.payments
		if o.invalid {
			s.rec.Invalid++
			s.rec.PaymentsInInvalid += o.payments
			s.rec.MembersInInvalid += o.members
		} else {
			s.rec.Evaluated++
			s.rec.PaymentsChecked += o.checked
			s.rec.PaymentsNotCurrent += o.notCurrent
			s.rec.AmountsNotChecked += o.notChecked
			s.rec.Members += o.members
			s.rec.MembersWithoutID += o.withoutID
			if o.jur >= 0 {
				cells := s.cells[o.jur]
				if cells == nil {
					cells = make([]cellDelta, len(s.a.scope))
					s.cells[o.jur] = cells
				}
				for k := range o.cells {
					addDelta(&cells[k], &o.cells[k])
				}
			}
		}
		for _, f := range o.findings {
			s.rec.Findings[f.Class]++
			if err := sink.Finding(f); err != nil {
				return err
			}
		}
		for i := range o.ids {
			if err := s.ids.add(&o.ids[i]); err != nil {
				return err
			}
		}
		if o.hid.household != "" {
			if err := s.hids.add(&o.hid); err != nil {
				return err
			}
		}
		s.records++
		if p := s.a.opt.Progress; p != nil && s.records%1024 == 0 {
			p(s.records)
		}
	}
	return nil
}

func addDelta(dst, d *cellDelta) {
	dst.Eligible += d.Eligible
	dst.EligibleShall += d.EligibleShall
	dst.EligiblePaid += d.EligiblePaid
	dst.Paid += d.Paid
	dst.PaidDue += d.PaidDue
	for i := range d.Findings {
		dst.Findings[i] += d.Findings[i]
	}
	dst.Overpaid += d.Overpaid
	dst.Underpaid += d.Underpaid
	dst.UnderpaidUnknown += d.UnderpaidUnknown
}

// duplicates reports each citizen ID found in two or more places: one
// finding for each place, naming the others.
func (s *state) duplicates(sink Sink) error {
	return s.ids.groups(func(g []idEntry) error {
		id := unpackID(g[0].key)
		return s.reportPlaces(DuplicatePerson, g, sink, func(f *Finding, whereZh, whereEn string) {
			f.CitizenID = id
			f.Detail = rulepack.Text{Zh: fmt.Sprintf("身份证号 %s 在花名册中出现 %d 次；另见：%s。", id, len(g), whereZh),
				En: fmt.Sprintf("Citizen ID %s is on the roll %d times; also at %s.", id, len(g), whereEn)}
		})
	})
}

// duplicateHouseholds reports each household id found on two or more
// records: one finding for each record, naming the others. Entries are
// grouped by a hash of the id; the ids themselves are compared.
func (s *state) duplicateHouseholds(sink Sink) error {
	return s.hids.groups(func(g []idEntry) error {
		slices.SortStableFunc(g, func(a, b idEntry) int { return strings.Compare(a.household, b.household) })
		for len(g) > 0 {
			n := 1
			for n < len(g) && g[n].household == g[0].household {
				n++
			}
			if n > 1 {
				if err := s.reportPlaces(DuplicateHousehold, g[:n], sink, func(f *Finding, whereZh, whereEn string) {
					f.Detail = rulepack.Text{
						Zh: fmt.Sprintf("户编号 %s 在花名册中出现 %d 次；另见：%s。一个户编号只能对应一户：请核实是否重复录入或编号有误。", f.Household, n, whereZh),
						En: fmt.Sprintf("Household ID %s is on the roll %d times; also at %s. A household ID must name one household: check for a household entered twice or a wrong ID.", f.Household, n, whereEn)}
				}); err != nil {
					return err
				}
			}
			g = g[n:]
		}
		return nil
	})
}

// reportPlaces sends one finding of the class for each entry of g, naming
// the other entries; detail completes the finding, given the others listed
// in Chinese and English.
func (s *state) reportPlaces(class Class, g []idEntry, sink Sink, detail func(f *Finding, whereZh, whereEn string)) error {
	for i, e := range g {
		f := &Finding{Class: class, Record: int(e.record), Ref: e.ref, Household: e.household,
			Jurisdiction: e.jurisdiction, Member: e.memberID}
		var zh, en []string
		for j := range g {
			if j == i {
				continue
			}
			o := &g[j]
			p := Place{Record: int(o.record), Ref: o.ref, Household: o.household, Jurisdiction: o.jurisdiction, Member: o.memberID}
			f.Others = append(f.Others, p)
			zh, en = append(zh, p.text(true)), append(en, p.text(false))
		}
		detail(f, strings.Join(zh, "；"), strings.Join(en, "; "))
		s.rec.Findings[class]++
		if err := sink.Finding(f); err != nil {
			return err
		}
	}
	return nil
}

// report builds the summary and the reconciliation.
func (s *state) report(r Reader) *Report {
	a := s.a
	p := a.pack
	rep := &Report{AsOf: a.asOf.Format("2006-01-02"), RulePack: engine.Pack{ID: p.Meta.ID, Version: p.Meta.Version, Hash: p.Meta.Hash},
		Benefits: a.Scope(), Summary: []Cell{}}
	jurs := make([]int, 0, len(s.cells))
	for j := range s.cells {
		jurs = append(jurs, j)
	}
	sort.Ints(jurs)
	for _, j := range jurs {
		jur := p.Jurisdictions[j]
		for k, code := range a.scope {
			d := s.cells[j][k]
			b, _ := p.Benefit(code)
			c := Cell{Jurisdiction: jur.Code, Name: jur.Name, Benefit: code, BenefitName: b.Name,
				Eligible: d.Eligible, EligiblePaid: d.EligiblePaid, EligibleShall: d.EligibleShall, Paid: d.Paid, PaidDue: d.PaidDue,
				Findings: map[Class]int{}, Overpaid: d.Overpaid, Underpaid: d.Underpaid, UnderpaidUnknown: d.UnderpaidUnknown}
			for i, x := range Classes {
				if d.Findings[i] > 0 {
					c.Findings[x.Class] = d.Findings[i]
				}
			}
			if d.Eligible > 0 {
				v := float64(d.EligiblePaid) * 100 / float64(d.Eligible)
				c.Coverage = &v
			}
			for _, in := range p.Indicators(jur.Code) {
				if in.Measure == "coverage" && in.Benefit == code {
					c.Target = in
					if c.Coverage != nil {
						met := in.Met(*c.Coverage)
						c.TargetMet = &met
					}
				}
			}
			rep.Summary = append(rep.Summary, c)
		}
	}
	// Balanced: every record is evaluated or invalid, every payment is
	// checked, not current or in an invalid record, and a table reader's
	// every payment row is one of those payments and every member row a
	// member of a record, evaluated or invalid.
	s.rec.Balanced = s.rec.Records == s.rec.Evaluated+s.rec.Invalid &&
		s.rec.Payments == s.rec.PaymentsChecked+s.rec.PaymentsNotCurrent+s.rec.PaymentsInInvalid
	if cr, ok := r.(interface{ Counts() Counts }); ok {
		s.rec.Counts = cr.Counts()
		s.rec.Balanced = s.rec.Balanced && s.rec.PaymentRows == s.rec.Payments &&
			s.rec.MemberRows == s.rec.Members+s.rec.MembersInInvalid
	}
	for _, n := range s.rec.Findings {
		s.rec.TotalFindings += n
	}
	rep.Reconciliation = s.rec
	return rep
}
