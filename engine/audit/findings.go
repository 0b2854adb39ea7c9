package audit

import (
	"entitle/engine"
	"entitle/engine/money"
	"entitle/engine/rulepack"
	"fmt"
)

// Class is the kind of a finding. The values are stable: programs may
// switch on them.
type Class string

// The finding classes, in report order.
const (
	PaidNotEntitled    Class = "paid_not_entitled"       // paid, but the rules do not grant it
	EntitledNotPaid    Class = "entitled_not_paid"       // the rules grant it (shall), but it is not paid
	AmountDiffers      Class = "amount_differs"          // paid and due, at another amount
	PaidTwice          Class = "paid_twice"              // one benefit paid to one subject by two or more payments in the month
	PaidPastPhaseOut   Class = "paid_past_phase_out"     // paid beyond the end of a phase-out
	ExclusivePaid      Class = "exclusive_paid_together" // benefits that exclude each other paid together
	DuplicateHousehold Class = "duplicate_household"     // one household id on two records of the roll
	DuplicatePerson    Class = "duplicate_person"        // one citizen ID in two places on the roll
	Undetermined       Class = "undetermined"            // paid, but the record lacks facts to confirm it
	RecordWarning      Class = "record_warning"          // evaluated, but something in the record looks wrong (W… codes)
	InvalidRecord      Class = "invalid_record"          // the record cannot be evaluated
)

// ClassInfo names a class for people.
type ClassInfo struct {
	Class Class         `json:"class"`
	Name  rulepack.Text `json:"name"`
	// Sheet is the Excel sheet name (at most 31 characters).
	Sheet rulepack.Text `json:"-"`
}

// Classes lists every class in report order.
var Classes = [...]ClassInfo{
	{PaidNotEntitled, rulepack.Text{Zh: "不符合条件仍在发放", En: "Paid but not entitled"}, rulepack.Text{Zh: "不符合条件仍发放", En: "Paid not entitled"}},
	{EntitledNotPaid, rulepack.Text{Zh: "符合条件未发放", En: "Entitled but not paid"}, rulepack.Text{Zh: "应发未发", En: "Entitled not paid"}},
	{AmountDiffers, rulepack.Text{Zh: "发放金额与应发金额不符", En: "Amount differs"}, rulepack.Text{Zh: "金额不符", En: "Amount differs"}},
	{PaidTwice, rulepack.Text{Zh: "同一待遇重复发放", En: "Paid twice"}, rulepack.Text{Zh: "重复发放", En: "Paid twice"}},
	{PaidPastPhaseOut, rulepack.Text{Zh: "渐退期满后仍在发放", En: "Paid past the end of the phase-out"}, rulepack.Text{Zh: "渐退期满仍发放", En: "Past phase-out"}},
	{ExclusivePaid, rulepack.Text{Zh: "互斥待遇同时发放", En: "Benefits that exclude each other paid together"}, rulepack.Text{Zh: "互斥待遇同时发放", En: "Exclusive paid together"}},
	{DuplicateHousehold, rulepack.Text{Zh: "同一户编号重复在册", En: "Same household ID on two records"}, rulepack.Text{Zh: "户编号重复", En: "Duplicate household"}},
	{DuplicatePerson, rulepack.Text{Zh: "同一身份证号重复在册", En: "Same person in two places"}, rulepack.Text{Zh: "重复在册", En: "Duplicate person"}},
	{Undetermined, rulepack.Text{Zh: "信息不全，无法认定", En: "Undetermined for missing data"}, rulepack.Text{Zh: "信息不全", En: "Undetermined"}},
	{RecordWarning, rulepack.Text{Zh: "记录存疑（已认定）", En: "Record to check (evaluated)"}, rulepack.Text{Zh: "记录存疑", En: "Record to check"}},
	{InvalidRecord, rulepack.Text{Zh: "记录无效", En: "Invalid record"}, rulepack.Text{Zh: "记录无效", En: "Invalid record"}},
}

// ClassName returns a class's name in Chinese and English.
func ClassName(c Class) rulepack.Text {
	for _, x := range Classes {
		if x.Class == c {
			return x.Name
		}
	}
	return rulepack.Text{Zh: string(c), En: string(c)}
}

// Finding is one discrepancy between the roll and the rules.
type Finding struct {
	Class Class `json:"class"`
	// Record is the household's 1-based position in the roll; Ref where it is.
	Record       int    `json:"record"`
	Ref          string `json:"ref"`
	Household    string `json:"household"`
	Jurisdiction string `json:"jurisdiction,omitempty"`
	// Member is the member concerned; empty for the household.
	Member    string `json:"member,omitempty"`
	CitizenID string `json:"citizen_id,omitempty"`
	Benefit   string `json:"benefit,omitempty"`
	// Benefits are the benefits paid together (exclusive_paid_together).
	Benefits []string `json:"benefits,omitempty"`
	// Status and Modality are the rules' determination, if one was made.
	Status   engine.Status     `json:"status,omitempty"`
	Modality rulepack.Modality `json:"modality,omitempty"`
	// Expected and Paid are monthly amounts; Difference is paid − expected.
	Expected   *money.Fen `json:"expected,omitempty"`
	Paid       *money.Fen `json:"paid,omitempty"`
	Difference *money.Fen `json:"difference,omitempty"`
	// ExpectedEnd is the last month due (a phase-out's end); PaidEnd the
	// last month the roll pays ("open" when it sets none).
	ExpectedEnd string `json:"expected_end,omitempty"`
	PaidEnd     string `json:"paid_end,omitempty"`
	// ExampleValues: the expected outcome rests on example parameters.
	ExampleValues bool            `json:"example_values,omitempty"`
	Rules         []string        `json:"rules,omitempty"`
	Citations     []Citation      `json:"citations,omitempty"`
	Reasons       []engine.Reason `json:"reasons,omitempty"`
	Missing       []string        `json:"missing,omitempty"`
	Problems      []Problem       `json:"problems,omitempty"`
	// Others are the other places the same citizen ID is on the roll, or
	// the other records of the same household id.
	Others []Place       `json:"others,omitempty"`
	Detail rulepack.Text `json:"detail"`
}

// Citation is a rule's source sentence.
type Citation struct {
	Rule    string `json:"rule"`
	Doc     string `json:"doc"`
	Title   string `json:"title"`
	Section string `json:"section,omitempty"`
	Quote   string `json:"quote"`
}

// Place is where a person (or, for a duplicate household id, a record) is
// on the roll.
type Place struct {
	Record       int    `json:"record"`
	Ref          string `json:"ref"`
	Household    string `json:"household"`
	Jurisdiction string `json:"jurisdiction,omitempty"`
	Member       string `json:"member,omitempty"`
}

// text names the place in a detail sentence or report cell: a person as
// household/member (jurisdiction, where), a record as 第 13 条记录（330213，
// households.csv:14） or record 13 (330213, households.csv:14).
func (p Place) text(zh bool) string {
	if p.Member != "" {
		return fmt.Sprintf("%s/%s (%s, %s)", p.Household, p.Member, p.Jurisdiction, p.Ref)
	}
	switch {
	case zh && p.Jurisdiction != "":
		return fmt.Sprintf("第 %d 条记录（%s，%s）", p.Record, p.Jurisdiction, p.Ref)
	case zh:
		return fmt.Sprintf("第 %d 条记录（%s）", p.Record, p.Ref)
	case p.Jurisdiction != "":
		return fmt.Sprintf("record %d (%s, %s)", p.Record, p.Jurisdiction, p.Ref)
	}
	return fmt.Sprintf("record %d (%s)", p.Record, p.Ref)
}

func fen(f money.Fen) *money.Fen { return &f }
