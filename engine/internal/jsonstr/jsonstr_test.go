package jsonstr

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// encodingJSON is the reference: encoding/json with HTML escaping off.
func encodingJSON(t testing.TB, s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(s))
	return strings.TrimSuffix(buf.String(), "\n")
}

var cases = []string{
	"", "a", "plain ascii text", `quote " and backslash \`, "<html> & 'apostrophes'",
	"tab\tnewline\nreturn\rbell\abackspace\bformfeed\f", "\x00\x01\x1f\x7f",
	"县级残疾人两项补贴", "“可以给予”（由经办机构酌定）", "第一条：困难残疾人生活补贴。",
	"line\u2028separator\u2029paragraph", "\u2027\u202a", "invalid \xff\xfe bytes", "truncated \xe5\xad",
	"overlong \xe0\x80\xaf", "surrogate \xed\xa0\x80", "emoji 😀 and 𠀀", "é ü ß", "\xef\xbf\xbd", "\xe2\x80", "\xe2",
	"ends with a lead byte \xe5", "\xc0\xaf", "\xf4\x90\x80\x80",
}

func TestAppendMatchesEncodingJSON(t *testing.T) {
	for _, s := range cases {
		require.Equal(t, encodingJSON(t, s), string(Append(nil, s)), "%q", s)
	}
}

func TestCache(t *testing.T) {
	long := "困难残疾人生活补贴和重度残疾人护理补贴"
	c := NewCache(append([]string{long, long, "short"}, cases...))
	require.Equal(t, 1+countLong(cases), c.Len(), "texts shorter than MinCached are not kept, repeats kept once")
	for _, s := range append(cases, long, "not in the cache but long enough") {
		require.Equal(t, encodingJSON(t, s), string(c.Append([]byte("x"), s))[1:], "%q", s)
	}
	// Found by place: a copy elsewhere is not found, and written the same.
	require.Equal(t, c.Append(nil, long), Append(nil, strings.Clone(long)))
	require.Equal(t, c.Append(nil, long), c.Append(nil, strings.Clone(long)))
	var none *Cache
	require.Equal(t, `"x"`, string(none.Append(nil, "x")))
}

func countLong(list []string) int {
	n := 0
	for _, s := range list {
		if len(s) >= MinCached {
			n++
		}
	}
	return n
}

func FuzzAppend(f *testing.F) {
	for _, s := range cases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(Append(nil, s)), encodingJSON(t, s); got != want {
			t.Fatalf("%q: got %s, encoding/json %s", s, got, want)
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	s := strings.Repeat("对符合条件的困难残疾人给予生活补贴, ", 8)
	b.SetBytes(int64(len(s)))
	var buf []byte
	for b.Loop() {
		buf = Append(buf[:0], s)
	}
}

func BenchmarkEncodingJSON(b *testing.B) {
	s := strings.Repeat("对符合条件的困难残疾人给予生活补贴, ", 8)
	b.SetBytes(int64(len(s)))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for b.Loop() {
		buf.Reset()
		enc.Encode(s)
	}
}

func TestAppendStrings(t *testing.T) {
	for _, list := range [][]string{nil, {}, {"a"}, cases} {
		// encoding/json with HTML escaping off.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(list))
		want := strings.TrimSuffix(buf.String(), "\n")
		require.Equal(t, want, string(AppendStrings(nil, list)))
		require.Equal(t, want, string(NewCache(cases).AppendStrings(nil, list)), "the same with kept encodings")
	}
}
