package household

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzDecode: no input makes decoding or validation panic, and every error
// carries a code.
func FuzzDecode(f *testing.F) {
	for _, dir := range []string{"../../testdata/households", "../../testdata/bad"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"id":"x","jurisdiction":"141081","members":[{"id":"a","income":{"wages":"1,2.3"}}]}`))
	f.Add([]byte("id: x\njurisdiction: '141081'\nmembers: [&a {id: m}, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, pos, err := Decode(data, DecodeOptions{File: "fuzz"})
		if err != nil {
			es, ok := err.(Errors)
			if !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			for _, e := range es {
				if e.Code == "" {
					t.Fatalf("error without a code: %v", e)
				}
				if e.Zh == "" {
					t.Fatalf("error without a message in Chinese: %v", e)
				}
			}
			return
		}
		errs, warns := Validate(h, ValidateOptions{Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)})
		for _, e := range append(pos.Place(errs), pos.Place(warns)...) {
			if e.Zh == "" {
				t.Fatalf("problem without a message in Chinese: %v", e)
			}
		}
	})
}
