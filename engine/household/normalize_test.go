package household

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFullWidth: codes, dates and amounts typed in full width (as a Chinese
// input method in full-width mode types them) are read as their ASCII forms
// on both paths, and the citizen ID is kept in ASCII, so that it is checked
// and matched as a duplicate like any other; names and ids are left as
// written.
func TestFullWidth(t *testing.T) {
	const ascii = `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30",` +
		`"income_history":[{"month":"2025-05","per_capita_income":"500.00"}],` +
		`"members":[{"id":"Ｍ１","name":"张三","citizen_id":"141081197005010016","birth_date":"1970年5月1日",` +
		`"disability":{"certificate_no":"14108119700501001641","grade":"1级"},"income":{"wages":"1,000.50"}}]}`
	const full = `{"id":"H","jurisdiction":"１４１０８１","as_of":"２０２５－０６－３０",` +
		`"income_history":[{"month":"２０２５－０５","per_capita_income":"５００．００"}],` +
		`"members":[{"id":"Ｍ１","name":"张三","citizen_id":"１４１０８１１９７００５０１００１６","birth_date":"１９７０年５月１日",` +
		`"disability":{"certificate_no":"１４１０８１１９７００５０１００１６４１","grade":"１级"},"income":{"wages":"１，０００．５０"}}]}`
	want, _, err := Decode([]byte(ascii), DecodeOptions{})
	require.NoError(t, err)
	slow, _, err := Decode([]byte(full), DecodeOptions{})
	require.NoError(t, err, "the schema path")
	assert.Equal(t, want, slow)
	fast, err := DecodeJSONFast([]byte(full))
	require.NoError(t, err, "the fast path")
	assert.Equal(t, want, fast)
	assert.Equal(t, "141081197005010016", fast.Members[0].CitizenID)
	assert.Equal(t, "Ｍ１", fast.Members[0].ID, "an id is as written")
	errs, _ := Validate(fast, ValidateOptions{})
	assert.Empty(t, errs, "the ID's check digit and birth date are checked on its ASCII form")

	yaml := "id: H\njurisdiction: '１４１０８１'\nmembers:\n  - {id: M1, birth_date: '１９７０．５．１', citizen_id: '１４１０８１１９７００５０１０１８Ｘ', disability: {grade: ２级}}\n"
	h, _, err := Decode([]byte(yaml), DecodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, "141081", h.Jurisdiction)
	assert.Equal(t, "1970-05-01", h.Members[0].BirthDate.String())
	assert.Equal(t, "14108119700501018X", h.Members[0].CitizenID, "a full-width Ｘ too")
	assert.Equal(t, 2, *h.Members[0].Disability.Grade, "２级 is 2级")
	errs, _ = Validate(h, ValidateOptions{})
	assert.Empty(t, errs)
}

// TestNarrowWidth: the full-width forms of ASCII (，and （） among them) and
// of the yen sign become ASCII; Chinese characters and the ideographic
// punctuation (、。) stay as written (width.Narrow made 、 the half-width ､
// of Japanese text).
func TestNarrowWidth(t *testing.T) {
	for in, want := range map[string]string{
		"１４１０８１":       "141081",
		"１９７０年５月１日":    "1970年5月1日",
		"￥８１２．５０":      "¥812.50",
		"Ｘ":            "X",
		"\u3000肢体二级":   " 肢体二级",
		"肢体二级、视力三级。":   "肢体二级、视力三级。",
		"“智力”，（三级）":    "“智力”,(三级)", // ，（） are full-width ASCII
		"ascii, as is": "ascii, as is",
	} {
		assert.Equal(t, want, NarrowWidth(in), "%q", in)
	}
}
