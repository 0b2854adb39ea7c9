package audit_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/audit"
	"entitle/engine/internal/testengine"
	"entitle/engine/money"
)

// TestPaidTwice: a benefit paid to one subject by two payments current in
// the month is one paid_twice finding, the payments compared together with
// the amount due: what they pay beyond it is overpaid, once. Before, each
// payment was compared alone, so a subsidy entered twice at the right
// amount was no finding at all.
func TestPaidTwice(t *testing.T) {
	eng := testengine.Engine(t)
	// Household G0000008 of the example roll: a dibao family (dibao due,
	// its amount not computed) whose M3 is due the care subsidy (100.00, an
	// example amount) and whose M1 is not disabled.
	var base audit.Entry
	for _, line := range strings.Split(string(must(os.ReadFile(rolls+"example.jsonl"))), "\n") {
		if strings.Contains(line, `"id":"G0000008"`) {
			require.NoError(t, json.Unmarshal([]byte(line), &base))
		}
	}
	require.NotNil(t, base.Household)
	pay := func(benefit, member, monthly, start, end string) string {
		p := fmt.Sprintf(`{"benefit":%q,"monthly":%q,"start":%q`, benefit, monthly, start)
		if member != "" {
			p += fmt.Sprintf(`,"member":%q`, member)
		}
		if end != "" {
			p += fmt.Sprintf(`,"end":%q`, end)
		}
		return p + "}"
	}
	tests := []struct {
		name     string
		payments []string
		want     []string // "class member benefit expected paid"
		overpaid string   // the care subsidy's or dibao's overpaid_monthly
	}{
		{"entered twice at the amount due",
			[]string{pay("dibao", "", "5586.00", "2023-06", ""), pay("care_subsidy", "M3", "100.00", "2022-12", ""), pay("care_subsidy", "M3", "100.00", "2024-01", "")},
			[]string{"paid_twice M3 care_subsidy 100.00 200.00", "entitled_not_paid M3 living_allowance 100.00 -"}, "100.00"},
		{"two parts of the amount due",
			[]string{pay("dibao", "", "5586.00", "2023-06", ""), pay("care_subsidy", "M3", "60.00", "2022-12", ""), pay("care_subsidy", "M3", "40.00", "2024-01", "")},
			[]string{"paid_twice M3 care_subsidy 100.00 100.00", "entitled_not_paid M3 living_allowance 100.00 -"}, "0.00"},
		{"one payment ended before the month",
			[]string{pay("dibao", "", "5586.00", "2023-06", ""), pay("care_subsidy", "M3", "100.00", "2022-12", "2024-12"), pay("care_subsidy", "M3", "100.00", "2025-01", "")},
			[]string{"entitled_not_paid M3 living_allowance 100.00 -"}, "0.00"},
		{"dibao twice, its amount not computed: the second payment is overpaid",
			[]string{pay("dibao", "", "5586.00", "2023-06", ""), pay("dibao", "", "5586.00", "2025-01", ""), pay("care_subsidy", "M3", "100.00", "2022-12", "")},
			[]string{"paid_twice  dibao - 11172.00", "entitled_not_paid M3 living_allowance 100.00 -"}, "5586.00"},
		{"not due, paid twice: overpaid payment by payment, not again",
			[]string{pay("dibao", "", "5586.00", "2023-06", ""), pay("care_subsidy", "M3", "100.00", "2022-12", ""), pay("living_allowance", "M1", "100.00", "2025-01", ""), pay("living_allowance", "M1", "100.00", "2025-02", "")},
			[]string{"paid_not_entitled M1 living_allowance - 100.00", "paid_not_entitled M1 living_allowance - 100.00", "paid_twice M1 living_allowance - 200.00", "entitled_not_paid M3 living_allowance 100.00 -"}, "200.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := fmt.Sprintf(`{"household":%s,"payments":[%s]}`, must(json.Marshal(base.Household)), strings.Join(tt.payments, ","))
			c := runAudit(t, eng, audit.NewJSONLReader("roll.jsonl", strings.NewReader(e+"\n"), 0), 1)
			var got []string
			for _, f := range c.findings {
				got = append(got, fmt.Sprintf("%s %s %s %s %s", f.Class, f.Member, f.Benefit, yuanOr(f.Expected), yuanOr(f.Paid)))
				if f.Class == audit.PaidTwice {
					assert.Contains(t, f.Detail.Zh, "同一待遇每月只发放一次")
				}
			}
			assert.Equal(t, tt.want, got)
			benefit := "care_subsidy"
			if strings.Contains(tt.name, "dibao") {
				benefit = "dibao"
			} else if strings.Contains(tt.name, "not due") {
				benefit = "living_allowance"
			}
			for _, cell := range c.report.Summary {
				if cell.Benefit == benefit {
					assert.Equal(t, tt.overpaid, cell.Overpaid.Yuan(), "overpaid %s", benefit)
				}
			}
			assert.True(t, c.report.Reconciliation.Balanced)
		})
	}
}

func yuanOr(f *money.Fen) string {
	if f == nil {
		return "-"
	}
	return f.Yuan()
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
