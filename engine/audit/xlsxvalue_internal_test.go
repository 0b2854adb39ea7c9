package audit

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestXLSXValue: how a raw Excel cell becomes the text a record reads, for
// the forms a workbook built through excelize cannot easily show (an ISO
// date cell, the 1904 date system) and the ones that must be left alone.
func TestXLSXValue(t *testing.T) {
	tests := []struct {
		name, path, cell, want string
		date1904               bool
	}{
		{"serial date", "birth_date", "24268", "1966-06-10", false},
		{"serial with a time", "birth_date", "24268.75", "1966-06-10", false},
		{"1904 date system", "birth_date", "22806", "1966-06-10", true},
		{"ISO date cell", "birth_date", "1966-06-10T00:00:00Z", "1966-06-10", false},
		{"date as text", "birth_date", "1966/6/10", "1966/6/10", false},
		{"yyyymmdd as a number is no serial", "birth_date", "19660610", "19660610", false},
		{"serial month", "start", "45717", "2025-03", false},
		{"yyyymm as a number is no serial (it would be a day in 2454)", "start", "202503", "202503", false},
		{"the last serial taken, 2199-12-31", "end", "109574", "2199-12", false},
		{"evaluation date", "as_of", "45838", "2025-06-30", false},
		{"formula noise", "income.wages", "760.09999999999991", "760.10", false},
		{"payment noise", "monthly", "0.30000000000000004", "0.30", false},
		{"three real decimals are left to be refused", "income.other", "760.123", "760.123", false},
		{"two decimals as written", "monthly", "812.5", "812.5", false},
		{"citizen ID is not touched", "citizen_id", "141081197503120015", "141081197503120015", false},
		{"a number in a text column is not a date", "name", "24268", "24268", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := &sheetCells{date1904: tt.date1904}
			assert.Equal(t, tt.want, x.value(tt.path, tt.cell))
		})
	}
}
