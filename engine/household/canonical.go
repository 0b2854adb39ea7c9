package household

// Canonical returns a copy of h with each value a record gave by its name
// (城镇, 低保户, 户主, 智力残疾, 失业, 康复…; see EnumFields) written as its
// code, as the engine reads it: the record to store or to send on. A value
// that is neither a code nor a name is kept as it is, for validation
// reports it. h itself is not changed. Dates, amounts and grades need no
// such step: decoding has already read them (二级 is 2, 1,059.00元 is
// 1059.00).
func Canonical(h *Household) *Household {
	c := *h
	c.Residence = codeOf(h.Residence, NormalizeResidence)
	c.PropertyTest = codeOf(h.PropertyTest, propertyTest)
	if h.Status != nil {
		s := make(Statuses, len(*h.Status))
		for i, v := range *h.Status {
			s[i] = codeOf(v, NormalizeStatus)
		}
		c.Status = &s
	}
	if h.Members != nil {
		c.Members = make([]Member, len(h.Members))
	}
	for i, m := range h.Members {
		m.Relation = codeOf(m.Relation, NormalizeRelation)
		m.WorkCapacity = codeOf(m.WorkCapacity, NormalizeWorkCapacity)
		if m.Disability != nil {
			d := *m.Disability
			d.Category = codeOf(d.Category, NormalizeCategory)
			m.Disability = &d
		}
		if m.Employment != nil {
			e := *m.Employment
			e.Status = codeOf(e.Status, NormalizeEmployment)
			m.Employment = &e
		}
		if m.Education != nil {
			e := *m.Education
			e.Stage = codeOf(e.Stage, NormalizeStage)
			e.GraduatingFrom = codeOf(e.GraduatingFrom, NormalizeGraduatingFrom)
			m.Education = &e
		}
		if m.Needs != nil {
			n := NormalizeNeeds(*m.Needs) // a copy if any name changes, else the list itself, which nothing here changes
			m.Needs = &n
		}
		c.Members[i] = m
	}
	return &c
}

// codeOf is the code of s by normalize, or s when it has none.
func codeOf(s string, normalize func(string) string) string {
	if c := normalize(s); c != "" {
		return c
	}
	return s
}
