package money

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want Fen
		err  bool
	}{
		{"812.50", 81250, false},
		{"812.5", 81250, false},
		{"812", 81200, false},
		{"0.01", 1, false},
		{".5", 50, false},
		{"-3", -300, false},
		{"+7.07", 707, false},
		{"1,200.00", 120000, false},
		{"  42 ", 4200, false},
		{"100元", 10000, false},
		{"¥1,200.00", 120000, false},
		{"¥ 812.5 元", 81250, false},
		{"元", 0, true},
		{"¥", 0, true},
		{"100元元", 0, true},
		{"$100", 0, true},
		{"12,345,678.90", 1234567890, false},
		{"1,2.3", 0, true}, // commas that do not group thousands are a slip
		{"1,2345", 0, true},
		{",100", 0, true},
		{"1.00,5", 0, true},
		{"812.505", 0, true}, // never rounds silently
		{"812.", 0, true},
		{"", 0, true},
		{"-", 0, true},
		{"1e3", 0, true},
		{"12a", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseYuan(tt.in)
			if tt.err {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		f             Fen
		yuan, grouped string
	}{
		{81250, "812.50", "812.50"},
		{0, "0.00", "0.00"},
		{-5, "-0.05", "-0.05"},
		{123456789, "1234567.89", "1,234,567.89"},
		{100000, "1000.00", "1,000.00"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.yuan, tt.f.Yuan())
		assert.Equal(t, tt.grouped, tt.f.Grouped())
	}
}

func TestJSON(t *testing.T) {
	var v struct{ A, B *Fen }
	require.NoError(t, json.Unmarshal([]byte(`{"A": 812.5, "B": "1,200.05"}`), &v))
	assert.Equal(t, Fen(81250), *v.A)
	assert.Equal(t, Fen(120005), *v.B)
	assert.Error(t, json.Unmarshal([]byte(`{"A": 0.001}`), &v))
	b, err := json.Marshal(Fen(81250))
	require.NoError(t, err)
	assert.Equal(t, `"812.50"`, string(b))
	var n struct{ A *Fen }
	require.NoError(t, json.Unmarshal([]byte(`{"A": null}`), &n))
	assert.Nil(t, n.A, "null stays unknown")
}

func TestRounding(t *testing.T) {
	tests := []struct {
		num, den int64
		mode     Rounding
		want     Fen
		err      bool
	}{
		{140000, 3, RoundHalfUp, 46667, false}, // 466.666… → 466.67
		{140000, 3, RoundDown, 46666, false},
		{140000, 3, RoundUp, 46667, false},
		{5, 2, RoundHalfUp, 3, false},
		{5, 2, RoundHalfEven, 2, false},
		{7, 2, RoundHalfEven, 4, false},
		{-5, 2, RoundHalfUp, -3, false},
		{-5, 2, RoundDown, -2, false},
		{6, 3, RoundNone, 2, false},
		{5, 2, RoundNone, 0, true},
		{1, 0, RoundHalfUp, 0, true},
	}
	for _, tt := range tests {
		got, err := RoundRat(tt.num, tt.den, tt.mode)
		if tt.err {
			assert.Error(t, err, "%d/%d %s", tt.num, tt.den, tt.mode)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%d/%d %s", tt.num, tt.den, tt.mode)
	}
}

func TestRoundFloatRemovesBinaryNoise(t *testing.T) {
	// 78005 × 0.1 is 7800.499999… in binary; it is 7800.5 fen and rounds half up to 7801.
	got, err := RoundFloat(78005*0.1, RoundHalfUp)
	require.NoError(t, err)
	assert.Equal(t, Fen(7801), got)
	got, err = RoundFloat(70000*0.1, RoundNone)
	require.NoError(t, err)
	assert.Equal(t, Fen(7000), got)
	_, err = RoundFloat(1e300, RoundHalfUp)
	assert.ErrorIs(t, err, ErrRange)
	assert.True(t, RoundHalfUp.Valid())
	assert.False(t, Rounding("sideways").Valid())
}

// FuzzParsePlain checks the allocation-free path against the general one:
// whatever it accepts, the general path reads the same.
func FuzzParsePlain(f *testing.F) {
	for _, s := range []string{"0", "812", "812.5", "812.50", "0.01", "1,000.00", "-3", "+4.2", ".5", "5.", "1.234", "999999999999999", "1e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := parsePlain(s)
		if !ok {
			return
		}
		slow, err := parseGeneral(s)
		if err != nil || slow != fast {
			t.Fatalf("%q: plain %d, general %d (%v)", s, fast, slow, err)
		}
	})
}

// FuzzRoundInt checks the int64 rounding against the exact big.Rat one for
// every mode.
func FuzzRoundInt(f *testing.F) {
	for _, c := range [][2]int64{{7, 2}, {-7, 2}, {5, 2}, {-5, 2}, {812345, 1000}, {1, 3}, {2, -3}, {0, 5}, {9e15, 7}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, num, den int64) {
		for _, mode := range []Rounding{RoundNone, RoundHalfUp, RoundHalfEven, RoundDown, RoundUp} {
			fast, ok := roundInt(num, den, mode)
			if !ok {
				continue
			}
			exact, err := roundBig(new(big.Rat).SetFrac64(num, den), mode)
			if err != nil || exact != fast {
				t.Fatalf("%d/%d %s: int64 %d, exact %d (%v)", num, den, mode, fast, exact, err)
			}
		}
	})
}
