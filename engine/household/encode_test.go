package household

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// stdJSON is the reference: encoding/json with HTML escaping off.
func stdJSON(t testing.TB, h *Household) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(h))
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// full sets every field of a household, so that each is written once.
const full = `{"schema_version":1,"id":"H<&>\"1\"","jurisdiction":"141081","residence":"urban","as_of":"2025-06-30",
"status":["dibao","low_income"],"property_test":"pass","hardship_assessed":false,
"income_history":[{"month":"2025-01","per_capita_income":"812.50"},{"month":"2025-02","per_capita_income":null}],
"housing":{"dilapidated":true,"can_self_fund":false,"seeking_public_rental":true,"needs_accessibility_renovation":false},
"members":[{"id":"M1","name":"王芳","citizen_id":"141081199001011234","relation":"head","birth_date":"1990-01-01","age":35,"disabled":true,
"disability":{"category":"intellectual","grade":2,"certificate_no":"14108119900101123452","certificate_valid":true,"lower_limb":false,"autism":true},
"care":{"needed":true,"months":7},
"income":{"wages":"1,200.00","business":"0.01","pension":"300","living_allowance":"100.00","care_subsidy":"90.00","other_assistance":"5.00","other":"-0.00"},
"employment":{"status":"employed","costs":"150.00","sheltered":false},
"work_capacity":"partial","stable_work_income":false,"orphan_guarantee":false,"work_injury_care_allowance":false,
"other_welfare_subsidy":true,"family_support":true,"tekun":false,
"insurance":{"resident_pension":true,"resident_medical":false},
"education":{"stage":"higher","graduating_year":2025,"graduating_from":"higher","in_internship":true,"economic_hardship":false},
"needs":["daycare","rehabilitation"]},
{"id":"M2","age":0,"disability":{},"care":{},"income":{},"employment":{},"insurance":{},"education":{},"needs":[]}]}`

func TestAppendJSONMatchesStd(t *testing.T) {
	inputs := append(records(t), []byte(full),
		[]byte(`{"id":"H","jurisdiction":"141081","status":[],"members":[{"id":"M1","name":"\u2028\ud83d\ude00 \u00e9","needs":[]}]}`),
		[]byte(`{"id":"","jurisdiction":"","members":[]}`),
		[]byte(`{"id":"H","jurisdiction":"141081","status":null,"members":null}`))
	for _, in := range inputs {
		h, err := decodeTyped(in)
		require.NoError(t, err, "%s", in)
		require.Equal(t, stdJSON(t, h), string(AppendJSON([]byte("x"), h))[1:], "%s", in)
	}
	// The parts encoding/json writes as null or leaves out.
	for _, h := range []*Household{{}, {Members: []Member{{}}}, {Status: new(Statuses), Members: []Member{{Needs: new(Needs)}}}} {
		require.Equal(t, stdJSON(t, h), string(AppendJSON(nil, h)))
	}
	require.Equal(t, "null", string(AppendJSON(nil, nil)))
}

// FuzzAppendJSON: go test ./engine/household -fuzz FuzzAppendJSON. Any
// household encoding/json decodes is written as encoding/json writes it.
func FuzzAppendJSON(f *testing.F) {
	for _, r := range records(f) {
		f.Add(r)
	}
	f.Add([]byte(full))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := decodeTyped(data)
		if err != nil {
			return
		}
		if got, want := string(AppendJSON(nil, h)), stdJSON(t, h); got != want {
			t.Fatalf("AppendJSON\n%s\nencoding/json\n%s", got, want)
		}
	})
}
