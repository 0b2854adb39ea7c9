package audit

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestMostlyUTF8: how EncodingAuto reads a file's start.
func TestMostlyUTF8(t *testing.T) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	header := "户编号,成员编号,姓名,与户主关系\n"
	tests := []struct {
		name string
		head []byte
		cut  bool
		want bool
	}{
		{"ASCII", []byte("household_id,member_id\nH1,M1\n"), false, true},
		{"UTF-8", []byte(header + "H1,M1,张三,户主\n"), false, true},
		{"UTF-8 with a BOM", []byte("\ufeff" + header), false, true},
		{"GBK", gbk(header + "H1,M1,张三,户主\n"), false, false},
		{"GBK, one word", gbk("户编号\n"), false, false},
		{"UTF-8 but for one name in GBK", append([]byte(header+"H1,M1,"), append(gbk("张三"), ",户主\n"...)...), false, true},
		{"UTF-8 cut inside a character", []byte(header)[:len(header)-2], true, true},
		{"UTF-8 cut inside a character, not known to be cut", []byte("户编号")[:5], false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, mostlyUTF8(tt.head, tt.cut))
		})
	}
	// A start of exactly sniffBytes, cut inside its last character, is
	// still UTF-8.
	long := bytes.Repeat([]byte("残"), sniffBytes/3+1)[:sniffBytes]
	assert.True(t, mostlyUTF8(long, true))
}

// TestParseEncoding: the names an auditor may give.
func TestParseEncoding(t *testing.T) {
	for name, want := range map[string]TextEncoding{
		"": EncodingAuto, "auto": EncodingAuto, "UTF-8": EncodingUTF8, "utf8": EncodingUTF8,
		"gb18030": EncodingGB18030, "GBK": EncodingGB18030, "gb2312": EncodingGB18030, " cp936 ": EncodingGB18030,
	} {
		got, err := ParseEncoding(name)
		assert.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
	for _, name := range []string{"latin1", "big5", "utf-16"} {
		_, err := ParseEncoding(name)
		assert.Error(t, err, name)
	}
}
