package household

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAgeFrom(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name       string
		age        int
		stated, on string
		want       int
		ok         bool
	}{
		{"on the stated date", 57, "2024-05-01", "2024-05-01", 57, true},
		{"a day later may be a birthday", 57, "2024-05-01", "2024-05-02", 0, false},
		{"half a year later", 57, "2024-05-01", "2024-12-01", 0, false},
		{"a year later, to the day", 57, "2024-05-01", "2025-05-01", 58, true},
		{"a year and a day later", 57, "2024-05-01", "2025-05-02", 0, false},
		{"a day before may be before the birthday", 57, "2024-05-01", "2024-04-30", 0, false},
		{"a year before", 57, "2024-05-01", "2023-05-01", 56, true},
		{"from the last day of a year", 6, "2024-12-31", "2025-12-31", 7, true},
		{"to the last day of the next year", 6, "2024-01-01", "2024-12-31", 0, false},
		{"stated on 29 February", 30, "2024-02-29", "2025-02-28", 31, true},
		{"stated on 29 February, the next day", 30, "2024-02-29", "2024-03-01", 0, false},
		{"a newborn, later the same year", 0, "2024-05-01", "2024-08-01", 0, false},
		{"a newborn, before it may have been born", 0, "2024-05-01", "2024-04-01", 0, false},
		{"a newborn, a year on", 0, "2024-05-01", "2025-05-01", 1, true},
		{"negative", -1, "2024-05-01", "2024-05-01", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := AgeFrom(tt.age, d(tt.stated), d(tt.on))
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

// TestAgeFromAgreesWithBirthDates checks AgeFrom against every birth date:
// the age it gives is the age of each birth date that fits the statement,
// and it gives none exactly when two of them differ.
func TestAgeFromAgreesWithBirthDates(t *testing.T) {
	stated := []time.Time{
		time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2023, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
	}
	for _, s := range stated {
		for _, age := range []int{0, 6, 59} {
			for delta := -400; delta <= 800; delta += 11 {
				on := s.AddDate(0, 0, delta)
				ages := map[int]bool{}
				for b := s.AddDate(-age-1, 0, -3); !b.After(s); b = b.AddDate(0, 0, 1) { // every birth date that may fit
					if AgeOn(b, s) == age {
						ages[AgeOn(b, on)] = true
					}
				}
				got, ok := AgeFrom(age, s, on)
				if len(ages) == 1 {
					for want := range ages {
						if want >= 0 {
							assert.True(t, ok, "%s age %d on %s", s.Format("2006-01-02"), age, on.Format("2006-01-02"))
							assert.Equal(t, want, got, "%s age %d on %s", s.Format("2006-01-02"), age, on.Format("2006-01-02"))
							continue
						}
						assert.False(t, ok)
					}
				} else {
					assert.False(t, ok, "%s age %d on %s: ages %v", s.Format("2006-01-02"), age, on.Format("2006-01-02"), ages)
				}
			}
		}
	}
}
