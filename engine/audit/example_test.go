package audit_test

import (
	"context"
	"fmt"
	"time"

	"entitle/engine"
	"entitle/engine/audit"
)

// Audit the example roll and print what was found, class by class.
func ExampleAuditor_Run() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	a, err := audit.New(eng, audit.Options{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), CompareExampleAmounts: true})
	if err != nil {
		panic(err)
	}
	roll, err := audit.OpenJSONL("../../testdata/rolls/example.jsonl")
	if err != nil {
		panic(err)
	}
	defer roll.Close()
	found := &printer{}
	rep, err := a.Run(context.Background(), roll, found)
	if err != nil {
		panic(err)
	}
	rec := rep.Reconciliation
	fmt.Printf("records %d = evaluated %d + invalid %d\n", rec.Records, rec.Evaluated, rec.Invalid)
	// Output:
	// invalid_record G0000004
	// entitled_not_paid G0000008 M3 living_allowance
	// record_warning G0000010
	// undetermined G0000011 M2 care_subsidy
	// amount_differs G0000023 M2 living_allowance
	// paid_not_entitled G0000026 M1 dibao_single_person
	// exclusive_paid_together G0000026 M1 dibao_single_person
	// paid_past_phase_out G0000028 dibao
	// paid_twice G0000039 dibao
	// paid_not_entitled G0000040 M1 care_subsidy
	// duplicate_household G0000009
	// duplicate_household G0000009
	// duplicate_person G0000020 M1
	// duplicate_person G0000021 M3
	// records 40 = evaluated 39 + invalid 1
}

type printer struct{}

func (printer) Finding(f *audit.Finding) error {
	line := string(f.Class) + " " + f.Household
	for _, s := range []string{f.Member, f.Benefit} {
		if s != "" {
			line += " " + s
		}
	}
	fmt.Println(line)
	return nil
}

func (printer) Finish(*audit.Report) error { return nil }

// Open a roll kept as three CSV files, as a civil-affairs system exports
// them. Columns the audit has no use for are named, and each file's
// encoding is told from its start: UTF-8 here; a roll saved in GBK, as
// Chinese editions of Excel save CSV, would be read as GB18030 and listed
// in the reconciliation.
func ExampleOpenCSV() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	a, err := audit.New(eng, audit.Options{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		panic(err)
	}
	roll, err := audit.OpenCSV("../../testdata/rolls/csv", audit.IgnoreColumns("性别", "联系电话"), audit.Encoding(audit.EncodingAuto))
	if err != nil {
		panic(err)
	}
	defer roll.Close()
	rep, err := a.Run(context.Background(), roll, discard{})
	if err != nil {
		panic(err)
	}
	rec := rep.Reconciliation
	fmt.Printf("records %d, member rows %d, payment rows %d, balanced %v\n", rec.Records, rec.MemberRows, rec.PaymentRows, rec.Balanced)
	fmt.Printf("columns left unread %d, files read as GB18030 %d\n", len(rec.IgnoredColumns), len(rec.Encodings))
	// Output:
	// records 40, member rows 126, payment rows 62, balanced true
	// columns left unread 0, files read as GB18030 0
}

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) Finding(*audit.Finding) error { return nil }
func (discard) Finish(*audit.Report) error   { return nil }
