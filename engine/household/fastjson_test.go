package household

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameAsStd checks the fast decoder against encoding/json on one input: when
// both decode it, they agree; the fast one accepts nothing encoding/json
// refuses (but "$schema", which the schema allows). Yes-or-no fields written
// 是 or 否 are read by encoding/json as the schema path reads them: through
// the generic value, with normalizeFlags.
func sameAsStd(t *testing.T, data []byte) {
	t.Helper()
	// The reference: encoding/json, after the normalizing the slow path
	// does on generic values (yes and no as 是 and 否, full-width digits).
	want, errStd := decodeTyped(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil && !dec.More() {
		normalizeGeneric(v, "")
		normalizeFlags(v)
		if noDisability(v) == nil {
			if b, err := json.Marshal(v); err == nil {
				if w, err := decodeTyped(b); err == nil || errStd != nil {
					want, errStd = w, err
				}
			}
		}
	}
	got, errFast := decodeFast(data)
	if errFast == nil && errStd != nil && !bytes.Contains(data, []byte(`"$schema"`)) {
		t.Fatalf("fast decoder accepts what encoding/json refuses (%v):\n%s", errStd, data)
	}
	if errFast == nil && errStd == nil && !reflect.DeepEqual(want, got) {
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(got)
		t.Fatalf("decoders disagree on\n%s\nencoding/json: %s\nfast:          %s", data, a, b)
	}
}

// records are the repository's sample households, as JSON.
func records(t testing.TB) [][]byte {
	var out [][]byte
	files, _ := filepath.Glob("../../testdata/households/*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		h, _, err := Decode(data, DecodeOptions{})
		require.NoError(t, err, f)
		b, err := json.Marshal(h)
		require.NoError(t, err)
		out = append(out, b)
	}
	return out
}

func TestFastDecoderMatchesStd(t *testing.T) {
	for _, r := range records(t) {
		sameAsStd(t, r)
		got, err := decodeFast(r)
		require.NoError(t, err)
		assert.NotEmpty(t, got.Members)
	}
	cases := []string{
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1"}]}`,
		`{"id":"H","jurisdiction":"141081","status":[],"members":[{"id":"M1","needs":[]}]}`,
		`{"id":"H","jurisdiction":"141081","status":null,"housing":null,"members":[{"id":"M1","disability":null,"income":{"wages":812.5,"other":"1,200.00"}}]}`,
		`{"id":"H\u00e9\n","jurisdiction":"141081","members":[{"id":"M\/1","name":"王芳"}]}`,
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","disability":{"grade":2.5}}]}`,
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","unknown":1}]}`,
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1"}]} {}`,
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","disabled":"yes"}]}`,
		`{"id":"H","jurisdiction":"141081","hardship_assessed":"否","members":[{"id":"M1","disabled":"是","care":{"needed":"\u662f"}}]}`,
		`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","tekun":" 是"}]}`,
		`{"id":"H","income_history":[{"month":"2025-13","per_capita_income":1}],"members":[]}`,
		`{"id":1}`, `[]`, `{`, `{"id":"H",}`, `{"id":"\ud83d\ude00","members":[]}`,
	}
	for _, c := range cases {
		sameAsStd(t, []byte(c))
	}
	_, err := decodeFast([]byte(`{"id":"H","members":[{"id":"M1","unknown":1}]}`))
	assert.ErrorContains(t, err, "unknown field")
}

// FuzzDecodeJSONFast: go test ./engine/household -fuzz FuzzDecodeJSONFast
func FuzzDecodeJSONFast(f *testing.F) {
	for _, r := range records(f) {
		f.Add(r)
	}
	f.Add([]byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","income":{"wages":"812.50"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { sameAsStd(t, data) })
}

// TestValidateHoldsTheSchemaBounds: what the schema bounds, Validate checks
// too, so a record decoded on the fast path (no schema) is held to it.
func TestValidateHoldsTheSchemaBounds(t *testing.T) {
	many := `{"id":"M0"}`
	for i := 1; i <= 50; i++ {
		many += `,{"id":"M` + strconv.Itoa(i) + `"}`
	}
	tests := []struct {
		name, json string
		code       Code
	}{
		{"no members", `{"id":"H","jurisdiction":"141081","members":[]}`, CodeRequired},
		{"51 members", `{"id":"H","jurisdiction":"141081","members":[` + many + `]}`, CodeTooLarge},
		{"negative wages", `{"id":"H","jurisdiction":"141081","members":[{"id":"M1","income":{"wages":"-1.00"}}]}`, CodeMoney},
		{"care months", `{"id":"H","jurisdiction":"141081","members":[{"id":"M1","care":{"months":5000}}]}`, CodeSchema},
		{"jurisdiction", `{"id":"H","jurisdiction":"14108x","members":[{"id":"M1"}]}`, CodeJurisdiction},
		{"jurisdiction name of 65 characters", `{"id":"H","jurisdiction":"` + strings.Repeat("区", 65) + `","members":[{"id":"M1"}]}`, CodeJurisdiction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Decode([]byte(tt.json), DecodeOptions{})
			require.Error(t, err, "the schema refuses it")
			h, err := DecodeJSONFast([]byte(tt.json))
			require.NoError(t, err)
			errs, _ := Validate(h, ValidateOptions{})
			var codes []Code
			for _, e := range errs {
				codes = append(codes, e.Code)
			}
			assert.Contains(t, codes, tt.code)
		})
	}
}

// TestValidateCountsCharacters: the schema's maxLength counts characters,
// not bytes, and so does Validate: a jurisdiction's name of 64 Chinese
// characters (192 bytes), a household id of 128 and a member id of 64 pass
// on either path.
func TestValidateCountsCharacters(t *testing.T) {
	data := []byte(`{"id":"` + strings.Repeat("户", 128) + `","jurisdiction":"` + strings.Repeat("区", 64) + `","members":[{"id":"` + strings.Repeat("员", 64) + `"}]}`)
	_, _, err := Decode(data, DecodeOptions{})
	require.NoError(t, err, "the schema accepts it")
	h, err := DecodeJSONFast(data)
	require.NoError(t, err)
	errs, _ := Validate(h, ValidateOptions{})
	assert.Empty(t, errs)
}

// TestIntern checks the intern table finds every interned string (so
// decoding it allocates nothing) and nothing else.
func TestIntern(t *testing.T) {
	for _, s := range internedStrings {
		v, ok := intern([]byte(s))
		assert.True(t, ok, s)
		assert.Equal(t, s, v)
	}
	for _, s := range []string{"", "141081195703230017", "G0000001", "urbanx", "M21", "张三"} {
		_, ok := intern([]byte(s))
		assert.False(t, ok, s)
	}
}
