package audit

import (
	"strings"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/rulepack"
)

// Code is a stable code of a problem that makes a roll entry invalid
// (beyond the household record's own H… codes).
type Code struct {
	Code string
	Text rulepack.Text
}

// Codes lists the audit's problem codes; docs/errors has a page for each.
var Codes = []Code{
	{"A101", rulepack.Text{Zh: "发放记录的待遇代码缺失或未知", En: "Payment benefit code missing or unknown"}},
	{"A102", rulepack.Text{Zh: "发放记录的成员缺失或不在该户", En: "Payment member missing or not in the household"}},
	{"A103", rulepack.Text{Zh: "发放起止月份缺失或颠倒", En: "Payment months missing or reversed"}},
	{"A104", rulepack.Text{Zh: "月发放金额缺失或为负", En: "Monthly amount missing or negative"}},
	{"A105", rulepack.Text{Zh: "户在成员表中没有行", En: "Household without member rows"}},
	{"A106", rulepack.Text{Zh: "成员表或发放表中的行找不到对应的户", En: "Member or payment rows matching no household"}},
	{"A107", rulepack.Text{Zh: "户表中相邻两行的户编号相同", En: "One household ID on two consecutive household rows"}},
	{"A199", rulepack.Text{Zh: "认定时出错", En: "Evaluation failed"}},
}

// Words names a problem in Chinese for a caseworker: the field in words
// (for a household field) and what its code means, "第 1 位成员：残疾等级 ——
// 残疾等级不是一至四级"; "" for a code it does not know.
func (p Problem) Words() string {
	var meaning rulepack.Text
	for _, c := range Codes {
		if c.Code == p.Code {
			meaning = c.Text
			break
		}
	}
	if meaning.Zh == "" {
		meaning.Zh, meaning.En = household.Code(p.Code).Summary()
	}
	if meaning.Zh == "" {
		return ""
	}
	field, ok := strings.CutPrefix(p.Field, "household.")
	if !ok {
		field = "" // a payment's field: no label
	}
	return engine.ProblemWords(field, meaning).Zh
}
