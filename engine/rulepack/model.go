package rulepack

import (
	"time"

	"entitle/engine/facts"
	"entitle/engine/money"
	"entitle/engine/sources"
)

// Modality is the legal force of a rule (POLICY.md, "Legal modality").
type Modality string

// Modalities, strongest first.
const (
	Shall   Modality = "shall"   // 落实、纳入、给予、按规定: an entitlement the office must grant
	May     Modality = "may"     // 可、可以: the office may grant it
	Planned Modality = "planned" // 逐步、探索、鼓励: an aim, not yet an entitlement
)

// Rank orders modalities: shall 3, may 2, planned 1.
func (m Modality) Rank() int {
	switch m {
	case Shall:
		return 3
	case May:
		return 2
	case Planned:
		return 1
	}
	return 0
}

// Effect is what a rule does when its conditions hold.
type Effect string

// Effects.
const (
	Grant  Effect = "grant"  // the benefit is due
	Deny   Effect = "deny"   // the benefit is excluded, whatever grants it (an exception)
	Caveat Effect = "caveat" // the benefit is due but with a condition to tell the applicant (择高)
)

// Window is a span of dates; a nil end is open.
type Window struct {
	From *time.Time `json:"from,omitempty"`
	To   *time.Time `json:"to,omitempty"`
}

// Contains reports whether the date lies in the window, ends included.
func (w Window) Contains(t time.Time) bool {
	if w.From != nil && t.Before(*w.From) {
		return false
	}
	if w.To != nil && t.After(*w.To) {
		return false
	}
	return true
}

// Meta describes the pack.
type Meta struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Name    Text   `json:"name"`
	// Hash is "sha256:…" over every file of the pack except tests and raw sources.
	Hash string `json:"hash"`
	// AfterPlanPeriod is "continue" (a plan's clauses still apply after its
	// period, with a caveat) or "lapse" (they stop applying).
	AfterPlanPeriod  string `json:"after_plan_period"`
	CostBudget       uint64 `json:"cost_budget"`
	RuntimeCostLimit uint64 `json:"runtime_cost_limit"`
}

// Benefit is one benefit code of the vocabulary.
type Benefit struct {
	Code        string      `json:"code"`
	Name        Text        `json:"name"`
	Scope       facts.Scope `json:"-"`
	Description Text        `json:"description"`
	Order       int         `json:"-"`
	// Concerns selects the members a member-scoped benefit is about.
	Concerns *Expr `json:"-"`
	// ConcernsLabel names those members in words ("残疾人" for the
	// default, member.disabled): what a result says when no member is one.
	ConcernsLabel Text `json:"-"`
	// DependsOn lists the benefits whose determination this one reads.
	DependsOn []string `json:"depends_on,omitempty"`
	// Payment is "monthly" for a benefit paid in cash every month: what a
	// benefit roll carries and an audit checks by default.
	Payment string `json:"payment,omitempty"`
	// PaidAs names the benefit whose payment this one continues (the dibao
	// phase-out is paid as dibao): a roll may carry either code.
	PaidAs string `json:"paid_as,omitempty"`
	// ContinuedBy lists the benefits whose PaidAs names this one, resolved
	// at load.
	ContinuedBy []*Benefit `json:"-"`
	// SeparateClaimTo names the household benefit that this member benefit
	// lets one member claim alone (单独申请: dibao_single_person is dibao
	// for one member of a family that is refused it).
	SeparateClaimTo string `json:"separate_claim_to,omitempty"`
	// ClaimedSeparatelyBy lists the member benefits whose SeparateClaimTo
	// names this one, resolved at load.
	ClaimedSeparatelyBy []*Benefit `json:"-"`
}

// Exclusive is a set of benefits that must not be paid together to one subject.
type Exclusive struct {
	Benefits []string `json:"benefits"`
	Reason   Text     `json:"reason"`
	Rules    []string `json:"rules,omitempty"`
}

// Jurisdiction is an area the pack covers. A record names it by its code or
// by a name (see Pack.ResolveJurisdiction): Name.Zh, a Chinese alias or
// the name of one of its Areas, alone or after the Parent city or the
// Province; Name.En; or one of the Aliases.
type Jurisdiction struct {
	Code     string `json:"code"`
	Name     Text   `json:"name"`
	Province string `json:"province,omitempty"`
	// Parent is the prefecture-level city a county-level jurisdiction
	// belongs to (聊城市 for 临清市); empty for a prefecture-level one.
	Parent string `json:"parent,omitempty"`
	// Level is the area's level in words (county-level city).
	Level string `json:"level,omitempty"`
	// Aliases are other names a household record may give for the area
	// (临清 for 临清市), besides Name.Zh and Name.En.
	Aliases []string `json:"aliases,omitempty"`
	// Areas are the county-level areas inside a prefecture-level
	// jurisdiction whose documents apply in each of them (the 旗市区 of
	// 呼伦贝尔市): a record naming one (海拉尔区) is of the jurisdiction.
	Areas     []Area   `json:"areas,omitempty"`
	Documents []string `json:"documents"`
}

// Area is a county-level area inside a jurisdiction: its GB/T 2260 code
// and its name.
type Area struct {
	Code string `json:"code" yaml:"code"`
	Zh   string `json:"zh" yaml:"zh"`
}

// Document is a source text rules cite.
type Document struct {
	ID           string     `json:"id"`
	Jurisdiction string     `json:"jurisdiction"`
	Title        string     `json:"title"`
	Issuer       string     `json:"issuer,omitempty"`
	Number       string     `json:"number,omitempty"`
	Date         *time.Time `json:"date,omitempty"`
	Published    *time.Time `json:"published,omitempty"`
	InForce      *time.Time `json:"in_force,omitempty"`
	PlanPeriod   *Window    `json:"plan_period,omitempty"`
	// EarliestYear is set when the document's date is unknown: the earliest
	// year it can have been issued, from its title or the documents it
	// implements. Its rules do not apply before 1 January of that year.
	EarliestYear int           `json:"earliest_year,omitempty"`
	Script       string        `json:"script"`
	Provenance   string        `json:"provenance"`
	File         string        `json:"file"`
	Raw          string        `json:"raw,omitempty"`
	Excerpt      bool          `json:"excerpt,omitempty"`
	Clean        *CleanSpec    `json:"-"`
	Implements   []string      `json:"implements,omitempty"`
	Notes        string        `json:"notes,omitempty"`
	Text         *sources.Text `json:"-"`
}

// ParamType is the type of a parameter.
type ParamType string

// Parameter types.
const (
	ParamMoney ParamType = "money" // yuan in YAML, int fen in CEL
	ParamInt   ParamType = "int"
	ParamRate  ParamType = "rate" // a decimal ratio, double in CEL
	ParamBool  ParamType = "bool"
)

// ParamDecl declares a parameter.
type ParamDecl struct {
	Name string    `json:"name"`
	Type ParamType `json:"type"`
	Text Text      `json:"label"`
	Unit string    `json:"unit,omitempty"`
	Doc  string    `json:"doc,omitempty"`
}

// Provenance of a parameter value.
const (
	Official = "official" // from a cited source
	Example  = "example"  // a placeholder a deployment must replace
)

// ParamValue is one dated value of a parameter in one jurisdiction.
type ParamValue struct {
	Jurisdiction string    `json:"jurisdiction"`
	Window       Window    `json:"window"`
	Money        money.Fen `json:"-"`
	Int          int64     `json:"-"`
	Rate         float64   `json:"-"`
	Bool         bool      `json:"-"`
	Display      string    `json:"value"`
	Provenance   string    `json:"provenance"`
	Source       *Citation `json:"source,omitempty"`
	Note         string    `json:"note,omitempty"`
}

// DefDecl declares a definition: a named predicate whose meaning each
// jurisdiction sets (who counts as 困难, 贫困, 特困残疾人家庭…).
type DefDecl struct {
	Name  string      `json:"name"`
	Scope facts.Scope `json:"-"`
	Text  Text        `json:"label"`
	Doc   string      `json:"doc,omitempty"`
}

// DefValue is one dated meaning of a definition in one jurisdiction.
type DefValue struct {
	Jurisdiction string    `json:"jurisdiction"`
	Window       Window    `json:"window"`
	Expr         *Expr     `json:"-"`
	Source       string    `json:"expr"`
	Provenance   string    `json:"provenance"`
	Cite         *Citation `json:"source,omitempty"`
	Note         string    `json:"note,omitempty"`
}

// Citation points at a sentence of a source document.
type Citation struct {
	Doc        string `json:"doc"`
	Section    string `json:"section,omitempty"`
	Quote      string `json:"quote"`
	Provenance string `json:"provenance"`
}

// Condition is one named test of a rule.
type Condition struct {
	ID    string `json:"id"`
	Label Text   `json:"label"`
	Expr  *Expr  `json:"-"`
	// Index is the condition's position among all conditions of the pack.
	Index int `json:"-"`
	// Rule is the id of the rule that declares the condition.
	Rule string `json:"rule"`
}

// Amount says how much a rule grants.
type Amount struct {
	Expr     *Expr          `json:"-"`
	Rounding money.Rounding `json:"rounding"`
	Per      string         `json:"per"` // month, year or once
}

// Period says over which months a grant runs.
type Period struct {
	Start  *Expr `json:"-"`
	Months *Expr `json:"-"`
	// Within is the id of the rule's condition that tests being within the
	// period. When it is the only condition that fails, the period has run
	// out: the outcome is ineligible and shows the period that ended.
	Within string `json:"within,omitempty"`
}

// Rule is one compiled rule.
type Rule struct {
	ID           string      `json:"id"`
	Benefit      string      `json:"benefit"`
	Jurisdiction string      `json:"jurisdiction"`
	Modality     Modality    `json:"modality"`
	Effect       Effect      `json:"effect"`
	Scope        facts.Scope `json:"-"`
	Concerns     *Expr       `json:"-"`
	Effective    Window      `json:"effective"`
	Extends      string      `json:"extends,omitempty"`
	Overrides    []string    `json:"overrides,omitempty"`
	// Citations are the rule's own; AllCitations adds those it extends.
	Citations    []Citation `json:"citations"`
	AllCitations []Citation `json:"-"`
	// Conditions are the rule's own; AllConditions adds those it extends,
	// parent's first.
	Conditions    []*Condition `json:"conditions"`
	AllConditions []*Condition `json:"-"`
	Amount        *Amount      `json:"amount,omitempty"`
	Period        *Period      `json:"-"`
	Remarks       *Text        `json:"remarks,omitempty"`
	Notes         string       `json:"notes,omitempty"`
	// PlanPeriod is the plan period of the rule's documents, if any.
	PlanPeriod *Window `json:"plan_period,omitempty"`
	// NotBefore is set when none of the rule's own documents is dated (no
	// date, in_force or plan period) and one gives an EarliestYear: 1
	// January of the latest such year. The rule does not apply earlier.
	NotBefore *time.Time `json:"not_before,omitempty"`
	File      string     `json:"file"`
	Line      int        `json:"line"`
	// Order is the rule's position in the pack, for stable output.
	Order int `json:"-"`
}

// Exprs calls fn for each expression of the rule itself, in a fixed order:
// its concerns, its own conditions (not those of a rule it extends), its
// amount and its period's start and length. Absent ones are skipped.
func (r *Rule) Exprs(fn func(*Expr)) {
	each := func(e *Expr) {
		if e != nil {
			fn(e)
		}
	}
	each(r.Concerns)
	for _, c := range r.Conditions {
		each(c.Expr)
	}
	if r.Amount != nil {
		each(r.Amount.Expr)
	}
	if r.Period != nil {
		each(r.Period.Start)
		each(r.Period.Months)
	}
}

// Start is the first day the rule applies, or nil if the texts give none:
// its effective date, but never before its plan period begins (a plan whose
// issue date is unreadable has no effective date of its own), nor before
// the year its undated documents can first have been issued (NotBefore).
// yearOnly reports that the start is that year's first day, later than any
// date the texts give: only the year is known.
func (r *Rule) Start() (day *time.Time, yearOnly bool) {
	day = r.Effective.From
	if p := r.planStart(); p != nil && (day == nil || day.Before(*p)) {
		day = p
	}
	if r.NotBefore != nil && (day == nil || day.Before(*r.NotBefore)) {
		return r.NotBefore, true
	}
	return day, false
}

// Starts is Start's day.
func (r *Rule) Starts() *time.Time {
	day, _ := r.Start()
	return day
}

// StartsText is the rule's start as YYYY-MM-DD, or YYYY when only the
// year is known; "" when the texts give none.
func (r *Rule) StartsText() string {
	switch day, yearOnly := r.Start(); {
	case day == nil:
		return ""
	case yearOnly:
		return day.Format("2006")
	default:
		return day.Format("2006-01-02")
	}
}

func (r *Rule) planStart() *time.Time {
	if r.PlanPeriod == nil {
		return nil
	}
	return r.PlanPeriod.From
}

// InForce reports whether the rule applies on a date under the pack's
// setting for plans past their period.
func (r *Rule) InForce(on time.Time, afterPlan string) bool {
	if from := r.Starts(); from != nil && on.Before(*from) {
		return false
	}
	if to := r.Ends(afterPlan); to != nil && on.After(*to) {
		return false
	}
	return true
}

// Ends is the last day the rule applies under the pack's setting for plans
// past their period, or nil if it has no end: its effective end, or its
// plan period's end when such plans lapse, whichever is earlier.
func (r *Rule) Ends(afterPlan string) *time.Time {
	end := r.Effective.To
	if afterPlan == "lapse" && r.PlanPeriod != nil && r.PlanPeriod.To != nil && before(r.PlanPeriod.To, end) {
		end = r.PlanPeriod.To
	}
	return end
}

// PastPlanPeriod reports whether the date is after the rule's plan period.
func (r *Rule) PastPlanPeriod(on time.Time) bool {
	return r.PlanPeriod != nil && r.PlanPeriod.To != nil && on.After(*r.PlanPeriod.To)
}
