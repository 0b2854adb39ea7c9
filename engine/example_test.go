package engine_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entitle/engine"
	"entitle/engine/household"
)

// Load the rule pack built into the binary, evaluate one household given as
// YAML, and read each determination.
func Example() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	record := []byte(`
id: H-1
jurisdiction: "150700"
residence: rural
status: [dibao]
property_test: pass
members:
  - id: M1
    birth_date: 1980-01-01
    disability: {category: physical, grade: 1, certificate_valid: true}
    care: {needed: true, months: 24}
    employment: {status: not_in_labour_force}
    income: {wages: 0, business: 0, pension: 0, other: 0}
    orphan_guarantee: false
    work_injury_care_allowance: false
    other_welfare_subsidy: false
    family_support: false
    tekun: false
`)
	res, err := eng.EvaluateRecord(context.Background(), record, household.DecodeOptions{File: "h-1.yaml"},
		engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	for _, d := range res.Determinations {
		if d.Status == engine.Eligible {
			fmt.Println(d.Benefit, d.Subject, d.Modality)
		}
	}
	// Output:
	// dibao household shall
	// living_allowance M1 shall
	// care_subsidy M1 shall
	// accident_insurance M1 planned
	// free_public_transport M1 shall
	// utility_discount household shall
	// legal_aid_means_test_waiver M1 shall
	// parking_fee_waiver M1 shall
}

// Every determination names the sentence of policy it rests on.
func ExampleDetermination_citations() {
	eng, _ := engine.LoadEmbedded()
	h := &household.Household{ID: "H-2", Jurisdiction: "141081", Residence: "urban",
		Status: &household.Statuses{"dibao"}, PropertyTest: "pass",
		Members: []household.Member{{ID: "M1", Disabled: ptr(true),
			Disability:              &household.Disability{Category: "intellectual", Grade: ptr(2), CertificateValid: ptr(true)},
			Care:                    &household.Care{Needed: ptr(true), Months: ptr(12)},
			WorkInjuryCareAllowance: ptr(false), Tekun: ptr(false), OtherWelfareSubsidy: ptr(false)}}}
	res, err := eng.Evaluate(context.Background(), h, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	d, _ := res.Determination("care_subsidy", "M1")
	fmt.Println(d.Status, d.Rules)
	for _, c := range d.Citations {
		fmt.Printf("%s %s: %s\n", c.Doc, c.Section, c.Quote)
	}
	// Output:
	// eligible [141081.care_subsidy.implement national.care_subsidy.severe_long_term]
	// 141081-plan 三(一)5: 完善落實困難殘疾人生活補貼和重度殘疾人護理補貼制度,做好殘疾人兩項補貼制度與其他制度的銜接工作
	// gf-2015-52 : 重度残疾人护理补贴主要补助残疾人因残疾产生的额外长期照护支出，对象为残疾等级被评定为一级、二级且需要长期照护的重度残疾人
	// gf-2015-52 : 长期照护是指因残疾产生的特殊护理消费品和照护服务支出持续6个月以上时间。
}

// An undetermined outcome lists the facts still needed, for the intake
// worker to ask.
func ExampleMissing() {
	eng, _ := engine.LoadEmbedded()
	h := &household.Household{ID: "H-3", Jurisdiction: "371581", Residence: "rural",
		Members: []household.Member{{ID: "M1", Disability: &household.Disability{Category: "mental", Grade: ptr(2)}}}}
	res, _ := eng.Evaluate(context.Background(), h, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)))
	d, _ := res.Determination("care_subsidy", "M1")
	fmt.Println(d.Status)
	for _, m := range d.Missing {
		fmt.Println(m.Field, "—", m.Label.En)
	}
	// Output:
	// undetermined
	// members[0].care.long_term — member M1: whether long-term care is needed (6 months or more)
	// members[0].disability.certificate_no — member M1: disability certificate number (or whether it is valid)
	// members[0].tekun — member M1: whether supported as 特困
	// status — assistance currently received (dibao, dibao edge, tekun, low income, poverty alleviated, monitored)
	// members[0].work_injury_care_allowance — member M1: whether receiving the work-injury care allowance
}

// The household's checklist asks each missing fact once, with the benefits
// waiting on it: those that more benefits wait on first.
func ExampleQuestion() {
	eng, _ := engine.LoadEmbedded()
	h := &household.Household{ID: "H-3", Jurisdiction: "371581", Residence: "rural",
		Members: []household.Member{{ID: "M1", Disability: &household.Disability{Category: "mental", Grade: ptr(2)}}}}
	res, _ := eng.Evaluate(context.Background(), h, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)))
	for _, q := range res.Checklist[:3] {
		fmt.Println(q.Field, "—", q.Label.Zh, "—", len(q.Benefits), "benefits")
	}
	// Output:
	// members[0].disability.certificate_no — 成员 M1：残疾人证号（或证件是否有效） — 12 benefits
	// members[0].income.business — 成员 M1：经营净收入（元/月） — 11 benefits
	// members[0].income.other — 成员 M1：其他收入（元/月） — 11 benefits
}

func ptr[T any](v T) *T { return &v }

// Load a rule pack from a directory (here the repository's rules/, the same
// pack the binary embeds) and read why a benefit is refused: each reason is
// a condition not met, with the values compared.
func ExampleLoadDir() {
	eng, err := engine.LoadDir("../rules")
	if err != nil {
		panic(err) // rulepack.Diagnostics name the file, line and column of each problem
	}
	h := &household.Household{ID: "H-4", Jurisdiction: "141081", Residence: "urban",
		Status: &household.Statuses{"dibao"}, PropertyTest: "pass",
		Members: []household.Member{{ID: "M1", Disability: &household.Disability{Category: "physical", Grade: ptr(3), CertificateValid: ptr(true)},
			Care: &household.Care{Needed: ptr(true), Months: ptr(24)}, Tekun: ptr(false), WorkInjuryCareAllowance: ptr(false)}}}
	res, err := eng.Evaluate(context.Background(), h, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	d, _ := res.Determination("care_subsidy", "M1")
	fmt.Println(d.Status)
	for _, r := range d.Reasons {
		fmt.Printf("%s: %s %s %s (%s)\n", r.Label.En, r.Actual, r.Op, r.Expected, r.Rule)
	}
	// Output:
	// ineligible
	// disability grade is 1 or 2: 3 <= 2 (national.care_subsidy.severe_long_term)
}

// A roll audit settles most households with a brief evaluation (statuses,
// modalities, amounts and periods only) and evaluates in full only those
// whose payments disagree.
func ExampleBrief() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	record := []byte(`{"id": "H-2", "jurisdiction": "150700", "residence": "rural", "status": ["dibao"], "property_test": "pass",
	  "members": [{"id": "M1", "birth_date": "1980-01-01", "disability": {"category": "physical", "grade": 1, "certificate_valid": true},
	    "care": {"needed": true, "months": 24}, "employment": {"status": "not_in_labour_force"},
	    "income": {"wages": 0, "business": 0, "pension": 0, "other": 0}, "orphan_guarantee": false,
	    "work_injury_care_allowance": false, "other_welfare_subsidy": false, "family_support": false, "tekun": false}]}`)
	h, err := household.DecodeJSONFast(record)
	if err != nil {
		panic(err)
	}
	res, err := eng.Evaluate(context.Background(), h, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)),
		engine.Brief(), engine.Benefits("living_allowance", "care_subsidy"))
	if err != nil {
		panic(err)
	}
	for _, d := range res.Determinations {
		fmt.Println(d.Benefit, d.Subject, d.Status, d.Amount != nil, len(d.Rules))
	}
	// Output:
	// living_allowance M1 eligible true 0
	// care_subsidy M1 eligible true 0
}

// A service that encodes each result and then drops it (as the HTTP API
// does) evaluates Into a Scratch, so that each result is made in the last
// one's memory; AppendJSON writes it as encoding/json would. A result made
// in a Scratch is valid until the next evaluation into it.
func ExampleInto() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	var scratch engine.Scratch
	var out []byte
	for _, grade := range []int{1, 3} {
		h := &household.Household{ID: fmt.Sprint("H-", grade), Jurisdiction: "141081", Residence: "urban",
			Members: []household.Member{{ID: "M1", Disability: &household.Disability{Category: "physical", Grade: ptr(grade), CertificateValid: ptr(true)},
				Care: &household.Care{Needed: ptr(true), Months: ptr(24)}, Tekun: ptr(false), WorkInjuryCareAllowance: ptr(false)}}}
		res, err := eng.Evaluate(context.Background(), h, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)),
			engine.Benefits("care_subsidy"), engine.Into(&scratch))
		if err != nil {
			panic(err)
		}
		d, _ := res.Determination("care_subsidy", "M1")
		out = eng.AppendJSON(out[:0], res) // what a server would send
		fmt.Println(res.Household, d.Status, d.Citations[0].Doc, len(out) > 0)
	}
	// Output:
	// H-1 eligible 141081-plan true
	// H-3 ineligible 141081-plan true
}

// A record with mistakes is refused with household.Errors; FieldLabel and
// the code's Summary name each problem in words for the caseworker.
func ExampleFieldLabel() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	record := []byte(`{"id": "H-2", "jurisdiction": "141081",
  "members": [{"id": "M1", "disability": {"category": "智力", "grade": "五级"}}]}`)
	_, err = eng.EvaluateRecord(context.Background(), record, household.DecodeOptions{File: "h2.json"})
	var problems household.Errors
	if errors.As(err, &problems) {
		for _, p := range problems {
			label, _ := engine.FieldLabel(p.Field)
			zh, _ := p.Code.Summary()
			fmt.Println(p)
			fmt.Println(label.Zh + " —— " + zh)
		}
	}
	// Output:
	// h2.json:2:61: members[0].disability.grade: disability grade must be 1 to 4 or 一级 to 四级 (GB/T 26341-2010); got "五级" [H011]
	// 第 1 位成员：残疾等级 —— 残疾等级不是一至四级
}

// Check a record without evaluating it, as a case-management system would
// before storing it: the record comes back as the engine reads it, each
// name it gives as its code, with its warnings.
func ExampleEngine_Check() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	h, _, err := household.Decode([]byte(`
id: H-4
jurisdiction: 侯马市
residence: 城镇
status: [低保户, 低保边缘]
members:
  - {id: M1, relation: 户主, disability: {category: 智力残疾, grade: 二级}}
`), household.DecodeOptions{File: "h-4.yaml"})
	if err != nil {
		panic(err)
	}
	checked, err := eng.Check(h, engine.AsOf(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	c := checked.Household
	fmt.Println(c.Jurisdiction, c.Residence, *c.Status, c.Members[0].Relation, c.Members[0].Disability.Category, *c.Members[0].Disability.Grade)
	for _, w := range checked.Warnings {
		fmt.Println(w.Code, w.Field)
	}
	// Output:
	// 141081 urban [dibao dibao_edge] head intellectual 2
	// W002 status
}
