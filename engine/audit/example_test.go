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
	// paid_not_entitled G0000040 M1 care_subsidy
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
