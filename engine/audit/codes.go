package audit

import "entitle/engine/rulepack"

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
	{"A199", rulepack.Text{Zh: "认定时出错", En: "Evaluation failed"}},
}
