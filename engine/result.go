package engine

import (
	"entitle/engine/rulepack"
)

// ResultSchemaVersion is the version of the JSON result format. It changes
// only when a field is removed or changes meaning.
const ResultSchemaVersion = "1"

// Status is the outcome of one determination.
type Status string

// The three statuses. Exactly one applies to each benefit and subject.
const (
	// Eligible: a rule grants the benefit and no exception excludes it.
	Eligible Status = "eligible"
	// Ineligible: no rule grants it (each failed condition is a reason), or
	// an exception excludes it.
	Ineligible Status = "ineligible"
	// Undetermined: the facts listed in Missing are needed to decide.
	Undetermined Status = "undetermined"
)

// Result is the evaluation of one household.
type Result struct {
	SchemaVersion string `json:"schema_version"`
	// Household is the record's id; empty when the record gave none.
	Household    string `json:"household"`
	Jurisdiction Place  `json:"jurisdiction"`
	AsOf         string `json:"as_of"`
	RulePack     Pack   `json:"rule_pack"`
	// ExampleValues lists the parameters with placeholder (example) values
	// that some determination read. When it is not empty, amounts and
	// thresholds are illustrations, not the local standard.
	ExampleValues  []string        `json:"example_values"`
	Derived        []DerivedFact   `json:"derived"`
	Determinations []Determination `json:"determinations"`
	// Checklist lists each fact of the record that some determination's
	// Missing names, once, with the benefits that wait on it: the questions to put to the
	// applicant, those that settle the most benefits first. Empty when
	// nothing is missing; nil in a lean result (the determinations' Missing
	// hold the same facts).
	Checklist []Question `json:"checklist"`
	// NotDetermined lists the benefits of the pack that no determination
	// is about, and why: with Determinations it accounts for every benefit.
	NotDetermined []NotDetermined `json:"not_determined"`
	// Warnings are problems in the record that did not stop the evaluation.
	Warnings []Warning `json:"warnings"`
}

// Place names a jurisdiction.
type Place struct {
	Code string        `json:"code"`
	Name rulepack.Text `json:"name"`
}

// Pack identifies the rule pack a result was made with.
type Pack struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
}

// DerivedFact is a fact the engine computed from the record, shown so that a
// caseworker can check the arithmetic.
type DerivedFact struct {
	Name    string        `json:"name"`
	Member  string        `json:"member,omitempty"`
	Label   rulepack.Text `json:"label"`
	Value   any           `json:"value"`             // fen for money, else the plain value; null when unknown
	Display string        `json:"display"`           // e.g. "812.50", "2025-03-01", "是"
	Unit    string        `json:"unit,omitempty"`    // e.g. 元/月
	Missing []Missing     `json:"missing,omitempty"` // when unknown
	// Example is true when the value rests on an example parameter.
	Example bool `json:"example,omitempty"`
}

// Determination is the outcome for one benefit and one subject.
type Determination struct {
	Benefit     string        `json:"benefit"`
	BenefitName rulepack.Text `json:"benefit_name"`
	// Subject is "household" or a member id.
	Subject  string            `json:"subject"`
	Status   Status            `json:"status"`
	Modality rulepack.Modality `json:"modality,omitempty"`
	Amount   *Amount           `json:"amount,omitempty"`
	// Period is, for eligible, the span granted (a phase-out's months); for
	// ineligible, a period that has run out (the rule failed only on its
	// period.within condition), so an audit can tell payments past its end.
	Period *Period `json:"period,omitempty"`
	// Rules are the rules the outcome rests on: for eligible, the rules that
	// grant it; for ineligible, the exception that excludes it or the grant
	// rules that failed; for undetermined, the rules still open.
	Rules     []string      `json:"rules"`
	Citations []CitationOut `json:"citations"`
	Reasons   []Reason      `json:"reasons"`
	Missing   []Missing     `json:"missing"`
	Caveats   []Caveat      `json:"caveats"`
	// ExampleValues lists example parameters this determination read.
	ExampleValues []string    `json:"example_values,omitempty"`
	Errors        []string    `json:"errors,omitempty"`
	Trace         []RuleTrace `json:"trace,omitempty"`
}

// Amount is a monthly (or yearly, or one-off) sum.
type Amount struct {
	Fen  int64  `json:"fen"`
	Yuan string `json:"yuan"`
	Per  string `json:"per"`
	// Example is true when the amount rests on an example parameter.
	Example bool `json:"example"`
}

// Period is the span a grant runs, ends included.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// CitationOut is a citation with its document's title and plan period.
type CitationOut struct {
	Rule       string `json:"rule"`
	Doc        string `json:"doc"`
	Title      string `json:"title"`
	Number     string `json:"number,omitempty"`
	Section    string `json:"section,omitempty"`
	Quote      string `json:"quote"`
	Provenance string `json:"provenance"`
	PlanPeriod string `json:"plan_period,omitempty"` // e.g. 2021–2025
}

// Reason explains one condition that decided an outcome.
type Reason struct {
	Rule      string        `json:"rule"`
	Condition string        `json:"condition"`
	Label     rulepack.Text `json:"label"`
	// Effect is grant (a requirement not met) or deny (an exception that applies).
	Effect string `json:"effect"`
	// Actual, Op and Expected describe a comparison: actual 812.50, op <,
	// expected 780.00. For a plain fact, Actual is its value.
	Actual   string `json:"actual,omitempty"`
	Op       string `json:"op,omitempty"`
	Expected string `json:"expected,omitempty"`
	Unit     string `json:"unit,omitempty"`
	// Facts are the values the condition read, when it is not a single
	// comparison (grade 3 and category hearing, for grade ≤ 2 or grade-3
	// intellectual).
	Facts []FactValue `json:"facts,omitempty"`
}

// FactValue is one variable's value as a condition read it.
type FactValue struct {
	Name  string        `json:"name"`
	Label rulepack.Text `json:"label"`
	Value string        `json:"value"`
	Unit  string        `json:"unit,omitempty"`
}

// Missing is an input fact whose absence keeps an outcome open.
type Missing struct {
	Field  string        `json:"field"`            // e.g. members[1].income.pension
	Member string        `json:"member,omitempty"` // the member's id
	Label  rulepack.Text `json:"label"`
}

// Caveat is something the caseworker must know about an outcome.
type Caveat struct {
	// Code is one of CaveatCodes, or the id of the caveat rule that added
	// it.
	Code string        `json:"code"`
	Text rulepack.Text `json:"text"`
	Rule string        `json:"rule,omitempty"`
	// Conditional is true when it is not yet known whether the caveat applies.
	Conditional bool          `json:"conditional,omitempty"`
	Citations   []CitationOut `json:"citations,omitempty"`
}

// The codes of the caveats the engine adds itself. They are stable: a code
// may be added, never renamed.
const (
	// CaveatMay: the clause is discretionary (可以); the office may grant it.
	CaveatMay = "may"
	// CaveatPlanned: the clause is an aim of the plan (逐步、探索、鼓励), not yet an entitlement.
	CaveatPlanned = "planned"
	// CaveatPlanPeriodEnded: the evaluation date is past the period of the plan the rule rests on.
	CaveatPlanPeriodEnded = "plan_period_ended"
	// CaveatExampleValues: the outcome read example parameter values or definitions.
	CaveatExampleValues = "example_values"
	// CaveatRemark: a granting rule's remark, such as how it is applied for or paid.
	CaveatRemark = "remark"
	// CaveatAmountUnknown: eligible, but the amount waits on facts.
	CaveatAmountUnknown = "amount_unknown"
	// CaveatExceptionOpen: the conditions are met, but an exception is not yet ruled out.
	CaveatExceptionOpen = "exception_open"
	// CaveatConcernOpen: it is not yet known whether the benefit concerns the member.
	CaveatConcernOpen = "concern_open"
	// CaveatRestsOnDiscretion: it rests on another benefit granted at discretion, so it is discretionary too.
	CaveatRestsOnDiscretion = "rests_on_discretion"
	// CaveatStrongerRuleOpen: a rule that would grant it more firmly (shall over may) waits on facts.
	CaveatStrongerRuleOpen = "stronger_rule_open"
	// CaveatContinuedBy: another benefit continues this one (paid_as: dibao during the phase-out).
	CaveatContinuedBy = "continued_by"
	// CaveatSeparateClaim: a member may claim this household benefit alone (separate_claim_to: dibao_single_person).
	CaveatSeparateClaim = "separate_claim"
)

// CaveatCodes lists the codes of the caveats the engine adds itself.
var CaveatCodes = []string{
	CaveatMay, CaveatPlanned, CaveatPlanPeriodEnded, CaveatExampleValues, CaveatRemark,
	CaveatAmountUnknown, CaveatExceptionOpen, CaveatConcernOpen, CaveatRestsOnDiscretion,
	CaveatStrongerRuleOpen, CaveatContinuedBy, CaveatSeparateClaim,
}

// RuleTrace is the condition-by-condition record of one rule (--explain).
type RuleTrace struct {
	Rule       string           `json:"rule"`
	Effect     string           `json:"effect"`
	Modality   string           `json:"modality"`
	InForce    bool             `json:"in_force"`
	Overridden string           `json:"overridden_by,omitempty"`
	Outcome    string           `json:"outcome"` // true, false, unknown, not_applicable
	Conditions []ConditionTrace `json:"conditions,omitempty"`
}

// ConditionTrace records one condition's value.
type ConditionTrace struct {
	ID       string        `json:"id"`
	Label    rulepack.Text `json:"label"`
	Expr     string        `json:"expr"`
	Value    string        `json:"value"` // true, false, unknown, error
	Actual   string        `json:"actual,omitempty"`
	Op       string        `json:"op,omitempty"`
	Expected string        `json:"expected,omitempty"`
	Missing  []string      `json:"missing,omitempty"`
}

// Warning is a problem with the record that did not stop evaluation.
type Warning struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"` // in English, with the value given
	// MessageZh is Message in Chinese. Summary is the code's one-line
	// description in Chinese and English; Label names the field in words
	// (第 1 位成员：残疾人证号), when it is one of the record's. A lean
	// result has none of the three.
	MessageZh string         `json:"message_zh,omitempty"`
	Summary   *rulepack.Text `json:"summary,omitempty"`
	Label     *rulepack.Text `json:"label,omitempty"`
}

// Determination returns the determination for a benefit and subject, if any.
func (r *Result) Determination(benefit, subject string) (*Determination, bool) {
	for i := range r.Determinations {
		d := &r.Determinations[i]
		if d.Benefit == benefit && d.Subject == subject {
			return d, true
		}
	}
	return nil, false
}
