package audit

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNearestHeader: the header suggested for an unknown one is close in
// spelling and about the same thing; one that shares only the words of a
// value's kind (是否, 类别, 月份) gets none, since it would mislead.
func TestNearestHeader(t *testing.T) {
	tests := []struct{ kind, header, want string }{
		{"members", "残疾人等级", "残疾等级"},
		{"members", "残疾类型", "残疾类别"},
		{"members", "身份证件号码", "身份证号"},
		{"members", "特困人员", "特困供养"},
		{"members", "需要护理", "需要照护"},
		{"members", "就业情况", "就业状况"},
		{"members", "成员姓名", "姓名"},
		{"members", "disability.grad", "disability.grade"},
		{"households", "评估时间", "评估日期"},
		{"payments", "开始月份", "起始月份"},
		{"payments", "待遇类型", "待遇代码"},
		// Once suggested, and wrong.
		{"payments", "结束月份", ""},
		{"payments", "发放月份", ""},
		{"members", "是否低保", ""},
		{"members", "是否持证", ""},
		{"members", "是否特困", ""},
		{"members", "低保类别", ""},
		{"households", "低保类别", ""},
		{"members", "人均收入", ""},
		{"members", "性别", ""},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.header, func(t *testing.T) {
			assert.Equal(t, tt.want, nearestHeader(tt.kind, tt.header))
		})
	}
}
