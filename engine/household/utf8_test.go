package household

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNotUTF8: text that is not UTF-8 is located at its first bad byte,
// with the text before it to find it by.
func TestNotUTF8(t *testing.T) {
	zhangSanGBK := "\xd5\xc5\xc8\xfd"
	tests := []struct {
		name, data   string
		line, column int
		en, zh       string
	}{
		{"a JSON name", `{"id":"H","members":[{"id":"M1","name":"` + zhangSanGBK + `"}]}`, 1, 41,
			`the text after “…d":"M1","name":"” is not UTF-8 (saved as GBK? save it as UTF-8)`,
			`“…d":"M1","name":"”之后的文字不是 UTF-8 编码（可能存成了 GBK，请另存为 UTF-8）`},
		{"a YAML name, columns in characters", "id: 户一\nmembers:\n  - name: 张" + zhangSanGBK + "\n", 3, 12,
			"the text after “  - name: 张” is not UTF-8", "“  - name: 张”之后的文字不是 UTF-8 编码"},
		{"at the start of a line", "id: H\n" + zhangSanGBK, 2, 1,
			"the text is not UTF-8", "文字不是 UTF-8 编码"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NotUTF8([]byte(tt.data))
			require.NotNil(t, e)
			assert.Equal(t, CodeSyntax, e.Code)
			assert.Equal(t, tt.line, e.Line)
			assert.Equal(t, tt.column, e.Column)
			assert.Contains(t, e.Msg, tt.en)
			assert.Contains(t, e.Zh, tt.zh)
		})
	}
	assert.Nil(t, NotUTF8([]byte("id: 户一\n")))
	for _, magic := range []string{"PK\x03\x04\x14\x00\x06\x00\x08\x00\xff", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\xff"} {
		e := NotUTF8([]byte(magic))
		require.NotNil(t, e)
		assert.Contains(t, e.Zh, "这是电子表格工作簿（Excel 或 WPS），不是 JSON 或 YAML 格式的家庭记录；工作簿中的花名册请用 `entitle audit` 核对")
	}
}

// TestFastPathRefusesNotUTF8: the fast decoder refuses a string that is not
// UTF-8, plain or with escapes, rather than decode its bytes as U+FFFD as
// encoding/json does (regression: the server and the audit took a GBK name
// as "���"); Decode then says where it is.
func TestFastPathRefusesNotUTF8(t *testing.T) {
	for _, tt := range []struct {
		name   string
		column int
	}{{"\xd5\xc5\xc8\xfd", 65}, {"\\\"\xd5\xc5\xc8\xfd", 67}} {
		name := tt.name
		data := []byte(`{"id":"H","jurisdiction":"141081","members":[{"id":"M1","name":"` + name + `"}]}`)
		_, err := DecodeJSONFast(data)
		assert.ErrorIs(t, err, errNotUTF8, "%q", name)
		_, _, err = Decode(data, DecodeOptions{})
		var es Errors
		require.ErrorAs(t, err, &es)
		require.Len(t, es, 1)
		assert.Equal(t, CodeSyntax, es[0].Code)
		assert.Equal(t, tt.column, es[0].Column)
	}
}
