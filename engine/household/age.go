package household

import "time"

// AgeOn returns the completed years of age (周岁) on a date of someone born
// on birth. A birthday on 29 February is reached on 1 March in years
// without one.
func AgeOn(birth, on time.Time) int {
	age := on.Year() - birth.Year()
	if on.Month() < birth.Month() || on.Month() == birth.Month() && on.Day() < birth.Day() {
		age--
	}
	return age
}

// AgeFrom returns the age on the date on of someone whose age was stated as
// age on the date stated (a record's Age, on its AsOf date). Every birth
// date that fits the statement is considered: ok is false when they give
// different ages on that date, as a later date within the year after a
// birthday may, or when the person may not have been born by then. On the
// stated date itself the age is the stated one.
func AgeFrom(age int, stated, on time.Time) (int, bool) {
	if age < 0 {
		return 0, false
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	// The latest birth date that fits: the stated day, age years before
	// (29 February falls back to the 28th in a year without one).
	latest := day(stated.Year()-age, stated.Month(), stated.Day())
	for AgeOn(latest, stated) < age {
		latest = latest.AddDate(0, 0, -1)
	}
	// The earliest: the day after the stated day, age+1 years before.
	earliest := day(stated.Year()-age-1, stated.Month(), stated.Day()+1)
	for AgeOn(earliest, stated) > age {
		earliest = earliest.AddDate(0, 0, 1)
	}
	for AgeOn(earliest.AddDate(0, 0, -1), stated) == age {
		earliest = earliest.AddDate(0, 0, -1)
	}
	lo, hi := AgeOn(latest, on), AgeOn(earliest, on)
	if lo != hi || lo < 0 {
		return 0, false
	}
	return lo, true
}
