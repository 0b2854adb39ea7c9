package household

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// agree reports whether the two decoding paths give the same verdict on a
// JSON record: the fast path (the server's and the audit's) with Validate,
// and the schema path (entitle check's, and every path's explanation) with
// Validate. It says what each path said when they differ.
func agree(data []byte) (ok bool, fast, schema any) {
	opts := ValidateOptions{Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	verdict := func(h *Household, err error) any {
		if err != nil {
			return err
		}
		if errs, _ := Validate(h, opts); len(errs) > 0 {
			return errs
		}
		return "ok"
	}
	h, err := DecodeJSONFast(data)
	fast = verdict(h, err)
	h, _, err = Decode(data, DecodeOptions{Format: FormatJSON})
	schema = verdict(h, err)
	return (fast == "ok") == (schema == "ok"), fast, schema
}

// TestPathsAgree: the records on which the two paths once disagreed, each
// now refused or accepted by both (regressions found by FuzzPathsAgree).
func TestPathsAgree(t *testing.T) {
	for _, tt := range []struct {
		name, json string
		valid      bool
	}{
		{"an enum written as the empty string is unknown, as on the fast path",
			`{"id":"H","jurisdiction":"141081","residence":"","members":[{"id":"M1","relation":"","employment":{"status":""}}]}`, true},
		{"a citizen ID or certificate number left blank is unknown, as on the fast path",
			`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","citizen_id":"","disability":{"certificate_no":""}}]}`, true},
		{"a number with a leading zero is not JSON, on either path (the fast path read 00 as 0)",
			`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","care":{"months":00}}]}`, false},
		{"a key twice in one object is refused, as on the fast path (encoding/json kept the last)",
			`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","id":"M2"}]}`, false},
		{"an income history entry without its month is refused, as by the schema (the fast path read month 0001-01)",
			`{"id":"H","jurisdiction":"141081","income_history":[{}],"members":[{"id":"M1"}]}`, false},
		{"an income history entry without its amount is an unknown amount, on both paths",
			`{"id":"H","jurisdiction":"141081","income_history":[{"month":"2025-05"}],"members":[{"id":"M1"}]}`, true},
		{"a disability written as one text is read on both paths",
			`{"jurisdiction":"141081","members":[{"disability":"二级肢体残疾"},{"disability":"智力残疾３级"}]}`, true},
		{"a disability with the category's short name is read on both paths",
			`{"jurisdiction":"141081","members":[{"disability":"肢残二级"},{"disability":{"category":"精残","grade":"四级"}}]}`, true},
		{"a disability as a text left blank is unknown on both paths",
			`{"jurisdiction":"141081","members":[{"disability":""}]}`, true},
		{"a disability as a text with spaces around it is refused on both paths",
			`{"jurisdiction":"141081","members":[{"disability":" 肢体二级"}]}`, false},
		{"commas that do not group thousands are refused on both paths",
			`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","income":{"wages":"1,2.3"}}]}`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ok, fast, schema := agree([]byte(tt.json))
			assert.True(t, ok, "fast: %v\nschema: %v", fast, schema)
			assert.Equal(t, tt.valid, fast == "ok", "fast: %v", fast)
		})
	}
}

// FuzzPathsAgree: whatever JSON a client sends, the fast path and the schema
// path accept or refuse it alike, so that a record `entitle check` accepts
// is evaluated by the server and the audit, and one they refuse is
// explained.
//
//	go test ./engine/household -run XXX -fuzz FuzzPathsAgree
func FuzzPathsAgree(f *testing.F) {
	for _, r := range records(f) {
		f.Add(r)
	}
	f.Add([]byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","income":{"wages":"1,2.3"}}]}`))
	f.Add([]byte(`{"jurisdiction":"141081","as_of":"2025-06-30","members":[{"age":57},{"citizen_id":"141081197503120015","age":50}]}`))
	f.Add([]byte(`{"jurisdiction":"141081","members":[{"disability":"肢体二级"},{"disability":"二级"},{"disability":""}]}`))
	f.Add([]byte(`{"jurisdiction":"141081","members":[{"disability":"肢残二级"},{"disability":{"category":"智残","grade":3}},{"disability":"二级肢残残疾"}]}`))
	f.Add([]byte(`{"jurisdiction":"141081","members":[{"disability":"无"},{"disability":"none","disabled":"是"},{"disabled":false,"disability":"非残疾人"}]}`))
	f.Add([]byte(`{"jurisdiction":"141081","members":[{"care":{"long_term":"是"}},{"care":{"needed":false,"long_term":true}},{"relation":"本人"}]}`))
	f.Add([]byte(`{"id":"H","jurisdiction":"临清市","residence":"农村","status":["低保"],"as_of":"2025年6月30日",` +
		`"income_history":[{"month":"202505","per_capita_income":"¥500元"}],"members":[{"id":"M1","relation":"户主",` +
		`"birth_date":"１９７０.５.１","disabled":"是","disability":{"category":"智力","grade":"二级"},"needs":["康复"]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Contains(data, []byte(`"$schema"`)) {
			return // the schema path reads "$schema" as a key the fast path skips
		}
		if ok, fast, schema := agree(data); !ok {
			t.Fatalf("paths disagree on\n%s\nfast: %v\nschema: %v", data, fast, schema)
		}
	})
}
