package household

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckChar(t *testing.T) {
	// The worked example of GB 11643-1999 is 11010519491231002X.
	c, err := CheckChar("11010519491231002")
	require.NoError(t, err)
	assert.Equal(t, byte('X'), c)
	c, err = CheckChar("14108119750312001")
	require.NoError(t, err)
	assert.Equal(t, byte('5'), c)
	_, err = CheckChar("1234")
	assert.Error(t, err)
	_, err = CheckChar("1101051949123100A")
	assert.Error(t, err)
}

func TestParseCitizenID(t *testing.T) {
	tests := []struct {
		id      string
		ok      bool
		birth   string
		sex     string
		errPart string
	}{
		{"11010519491231002X", true, "1949-12-31", "female", ""},
		{"11010519491231002x", true, "1949-12-31", "female", ""},
		{"141081197503120015", true, "1975-03-12", "male", ""},
		{"141081197503120016", false, "", "", "check character"},
		{"141081197503120000", false, "", "", "an ID ending in 000 is often one a spreadsheet kept as a number"},
		{"14108119750230001X", false, "", "", ""}, // 30 February
		{"1410811975031200", false, "", "", "18 characters"},
		{"141081500312002", true, "1950-03-12", "female", ""},          // first generation: 141081195003120028
		{"141081501332002", false, "", "", "of a 15-digit ID are not"}, // 13th month
		{"14108150031200X", false, "", "", "18 characters"},            // 15 characters, not all digits
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := ParseCitizenID(tt.id)
			if !tt.ok {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errPart)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.birth, got.Birth.String())
			assert.Equal(t, tt.sex, got.Sex)
			assert.Equal(t, len(tt.id) == 15, got.FirstGeneration)
			if len(tt.id) == 18 {
				assert.Equal(t, strings.ToUpper(tt.id), got.Number)
			}
		})
	}
}

// TestCitizenID18: a first-generation ID becomes the 18-character ID that
// replaced it: 19 before the two-digit year, and the check character.
func TestCitizenID18(t *testing.T) {
	for in, want := range map[string]string{
		"141081500312002":    "141081195003120028",
		"110105491231002":    "11010519491231002X",
		"11010519491231002X": "", "14108150031200": "", "14108150031200a": "",
	} {
		got, ok := CitizenID18(in)
		assert.Equal(t, want != "", ok, in)
		assert.Equal(t, want, got, in)
		if ok {
			c, err := ParseCitizenID(got)
			assert.NoError(t, err, "the 18-character ID checks out")
			assert.Equal(t, got, c.Number)
		}
	}
}

func TestParseCertificate(t *testing.T) {
	c, ok := ParseCertificate("14108120030920002452")
	require.True(t, ok)
	assert.Equal(t, "141081200309200024", c.CitizenID)
	assert.Equal(t, "intellectual", c.Category)
	assert.Equal(t, 2, c.Grade)
	for _, no := range []string{"14108120030920002492", "14108120030920002485", "141081200309200024", "14108120030920002552", "残疾人证A123"} {
		_, ok := ParseCertificate(no)
		assert.False(t, ok, no)
	}
}

// FuzzParseYYYYMMDD checks the fast birth-date reading of citizen IDs
// against time.Parse: the same dates, the same refusals.
func FuzzParseYYYYMMDD(f *testing.F) {
	for _, s := range []string{"19570323", "20000229", "19000229", "20240431", "20241301", "2024010", "2024-1-1", "00000101", "99991231", "2024010a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gerr := parseYYYYMMDD(s)
		want, werr := time.Parse("20060102", s)
		if (gerr == nil) != (werr == nil) || !got.Equal(want) {
			t.Fatalf("%q: got %v, %v; time.Parse gives %v, %v", s, got, gerr, want, werr)
		}
	})
}

func TestScientific(t *testing.T) {
	for s, want := range map[string]bool{
		"1.41081197503E+17": true, "1.41081197503e17": true, "2E+17": true,
		"141081197503120015": false, "E+17": false, "1.4E+": false, "1.4.1E+17": false, "1.4E+1x": false, "": false,
	} {
		assert.Equal(t, want, scientific(s), s)
	}
}
