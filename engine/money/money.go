// Package money holds amounts of renminbi as whole fen (0.01 yuan).
//
// Amounts are never floating point: they are parsed from decimal text
// ("812.50", 812.5) exactly, stored as int64 fen, and rounded only where a
// rule says how (see Round).
package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Fen is an amount of money in fen (1 yuan = 100 fen).
type Fen int64

// ErrSyntax reports text that is not a decimal amount of yuan.
var ErrSyntax = errors.New("not an amount of yuan (digits with at most two decimals, e.g. 812.50)")

// ErrRange reports an amount too large to hold.
var ErrRange = errors.New("amount out of range")

// ParseYuan reads a decimal amount of yuan such as "812.5", "812.50",
// "-3" or "1,200.00", with or without the currency sign before it or the
// unit after it as a hand-kept sheet writes them ("¥1,200.00", "100元"),
// and returns it in fen. More than two decimals is an error: amounts are
// never rounded silently.
func ParseYuan(s string) (Fen, error) {
	if v, ok := parsePlain(s); ok {
		return v, nil
	}
	return parseGeneral(s)
}

// parseGeneral is ParseYuan for every form it accepts.
func parseGeneral(s string) (Fen, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "¥"), "元"))
	if !grouped(s) {
		return 0, ErrSyntax
	}
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, ErrSyntax
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 2 || hasDot && frac == "" {
		return 0, ErrSyntax
	}
	if whole == "" {
		whole = "0"
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, ErrSyntax
		}
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return 0, ErrRange
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return Fen(v), nil
}

// grouped reports whether the commas of an amount, if any, group its whole
// part in thousands (1,200.00, 12,345,678), so that a slip such as 1,2.3
// is refused rather than read as 12.30.
func grouped(s string) bool {
	whole, _, _ := strings.Cut(s, ".")
	if !strings.Contains(whole, ",") {
		return !strings.Contains(s, ",")
	}
	whole = strings.TrimLeft(whole, "+-")
	for i, g := range strings.Split(whole, ",") {
		if i == 0 && (len(g) < 1 || len(g) > 3) || i > 0 && len(g) != 3 {
			return false
		}
	}
	return true
}

// parsePlain reads the common form of an amount without allocating:
// digits, optionally a point and one or two more digits ("812", "812.5",
// "812.50"). Anything else is left to ParseYuan's general path.
func parsePlain(s string) (Fen, bool) {
	var w int64
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if i == 15 {
			return 0, false // leave range checks to the general path
		}
		w = w*10 + int64(s[i]-'0')
	}
	if i == 0 {
		return 0, false
	}
	if i == len(s) {
		return Fen(w * 100), true
	}
	if s[i] != '.' {
		return 0, false
	}
	frac := s[i+1:]
	switch {
	case len(frac) == 1 && frac[0] >= '0' && frac[0] <= '9':
		return Fen(w*100 + int64(frac[0]-'0')*10), true
	case len(frac) == 2 && frac[0] >= '0' && frac[0] <= '9' && frac[1] >= '0' && frac[1] <= '9':
		return Fen(w*100 + int64(frac[0]-'0')*10 + int64(frac[1]-'0')), true
	}
	return 0, false
}

// Yuan renders the amount as yuan with exactly two decimals: 81250 → "812.50".
func (f Fen) Yuan() string {
	v := int64(f)
	var buf [24]byte
	b := buf[:0]
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	c := v % 100
	b = append(b, '.', byte('0'+c/10), byte('0'+c%10))
	return string(b)
}

// Grouped renders the amount as yuan with thousands separators: "1,170.00".
func (f Fen) Grouped() string {
	s := f.Yuan()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + "." + frac
}

// String implements fmt.Stringer with the plain yuan form.
func (f Fen) String() string { return f.Yuan() }

// MarshalText writes the yuan form, so JSON carries "812.50" exactly.
func (f Fen) MarshalText() ([]byte, error) { return []byte(f.Yuan()), nil }

// UnmarshalText reads the yuan form.
func (f *Fen) UnmarshalText(b []byte) error {
	v, err := ParseYuan(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// Rounding names how a fractional number of fen becomes a whole number.
type Rounding string

// The rounding modes a rule may ask for.
const (
	// RoundNone requires the value to be whole already.
	RoundNone Rounding = "none"
	// RoundHalfUp rounds halves away from zero (四舍五入).
	RoundHalfUp Rounding = "half_up"
	// RoundHalfEven rounds halves to the even neighbour (banker's rounding).
	RoundHalfEven Rounding = "half_even"
	// RoundDown truncates toward zero.
	RoundDown Rounding = "down"
	// RoundUp rounds away from zero.
	RoundUp Rounding = "up"
)

// Valid reports whether r is one of the known modes.
func (r Rounding) Valid() bool {
	switch r {
	case RoundNone, RoundHalfUp, RoundHalfEven, RoundDown, RoundUp:
		return true
	}
	return false
}

// RoundRat rounds the exact rational num/den to whole fen.
func RoundRat(num, den int64, mode Rounding) (Fen, error) {
	if den == 0 {
		return 0, errors.New("division by zero")
	}
	if v, ok := roundInt(num, den, mode); ok {
		return v, nil
	}
	return roundBig(new(big.Rat).SetFrac64(num, den), mode)
}

// roundInt is RoundRat in int64 arithmetic, for the values amounts take
// (|num|, |den| < 2⁶²); ok is false when it cannot decide (RoundNone with a
// remainder, an unknown mode, or a value out of that range).
func roundInt(num, den int64, mode Rounding) (Fen, bool) {
	const limit = 1 << 62
	if num <= -limit || num >= limit || den <= -limit || den >= limit || den == 0 {
		return 0, false
	}
	neg := (num < 0) != (den < 0)
	if num < 0 {
		num = -num
	}
	if den < 0 {
		den = -den
	}
	q, rem := num/den, num%den
	if rem != 0 {
		twice := rem * 2 // < 2⁶³: rem < den < 2⁶²
		up := false
		switch mode {
		case RoundDown:
		case RoundUp:
			up = true
		case RoundHalfUp:
			up = twice >= den
		case RoundHalfEven:
			up = twice > den || twice == den && q%2 == 1
		default:
			return 0, false // RoundNone and unknown modes: the general path explains
		}
		if up {
			q++
		}
	}
	if neg {
		q = -q
	}
	return Fen(q), true
}

// RoundFloat rounds a number of fen computed in floating point. The value is
// first snapped to the nearest millionth of a fen, which removes binary
// representation noise (78005 × 0.1 = 7800.499999…) without changing any
// value a rule can meaningfully produce, and then rounded by mode.
func RoundFloat(v float64, mode Rounding) (Fen, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 9e15 {
		return 0, ErrRange
	}
	micro := math.Round(v * 1e6)
	if f, ok := roundInt(int64(micro), 1_000_000, mode); ok {
		return f, nil
	}
	return roundBig(new(big.Rat).SetFrac(big.NewInt(int64(micro)), big.NewInt(1_000_000)), mode)
}

func roundBig(r *big.Rat, mode Rounding) (Fen, error) {
	if r.IsInt() {
		return Fen(r.Num().Int64()), nil
	}
	num, den := new(big.Int).Set(r.Num()), new(big.Int).Set(r.Denom())
	neg := num.Sign() < 0
	num.Abs(num)
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	twice := new(big.Int).Mul(rem, big.NewInt(2))
	cmpHalf := twice.Cmp(den)
	up := false
	switch mode {
	case RoundNone:
		return 0, fmt.Errorf("value %s is not a whole number of fen and the rule gives no rounding", r.FloatString(6))
	case RoundDown:
	case RoundUp:
		up = true
	case RoundHalfUp:
		up = cmpHalf >= 0
	case RoundHalfEven:
		up = cmpHalf > 0 || cmpHalf == 0 && q.Bit(0) == 1
	default:
		return 0, fmt.Errorf("unknown rounding %q", mode)
	}
	if up {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return Fen(q.Int64()), nil
}

// UnmarshalJSON reads a JSON number (812.5) or string ("812.50") of yuan
// exactly, without passing through floating point.
func (f *Fen) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := ParseYuan(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}
