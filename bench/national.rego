# The national base layer for benefit codes 1-7 (rules/national/*.rules.yaml)
# in Rego, over the same derived facts the engine computes: input.household
# and input.members[_] map fact names to values (money in fen), input.params
# the parameters. The result maps "benefit/subject" to a status.
package entitle

import rego.v1

h := input.household

std := h["household.dibao_standard"]

pci := h["household.per_capita_income"]

dibao_eligible if {
	pci < std
	h["household.property_ok"] == true
}

phase_out_eligible if {
	h["household.status.dibao"] == true
	h["household.any_employed"] == true
	h["household.above_standard"] == true
	h["household.months_above_standard"] <= input.params.phase_out_months
}

edge_family if h["household.status.dibao_edge"] == true

edge_family if {
	pci >= std
	pci < h["household.dibao_edge_line"]
	h["household.property_ok"] == true
}

not_in_dibao if {
	h["household.status.dibao"] == false
	not dibao_eligible
}

grade_qualifies(m) if m["member.grade"] <= 2

grade_qualifies(m) if {
	m["member.grade"] == 3
	m["member.category"] in {"intellectual", "mental"}
}

single_eligible(m) if {
	not_in_dibao
	edge_family
	m["member.certified"] == true
	grade_qualifies(m)
	m["member.counted_income"] < std
}

single_eligible(m) if {
	not_in_dibao
	m["member.age"] >= input.params.adult_age
	m["member.no_occupation"] == true
	m["member.grade"] <= 2
	m["member.certified"] == true
	m["member.counted_income"] < std
}

dibao_family(m) if h["household.status.dibao"] == true

dibao_family(m) if dibao_eligible

dibao_family(m) if single_eligible(m)

living_denied(m) if m["member.tekun"] == true

living_denied(m) if m["member.work_injury_care"] == true

living_denied(m) if m["member.orphan_guarantee"] == true

care_denied(m) if m["member.tekun"] == true

care_denied(m) if m["member.work_injury_care"] == true

dibao_status := "eligible" if dibao_eligible

else := "ineligible"

phase_out_status := "eligible" if phase_out_eligible

else := "ineligible"

single_status(m) := "eligible" if single_eligible(m)

else := "ineligible"

cost_status := "eligible" if dibao_family_household

else := "ineligible"

living_status(m) := "ineligible" if living_denied(m)

else := "eligible" if {
	m["member.certified"] == true
	dibao_family(m)
}

else := "ineligible"

care_status(m) := "ineligible" if care_denied(m)

else := "eligible" if {
	m["member.certified"] == true
	m["member.grade"] <= 2
	m["member.long_term_care"] == true
}

else := "ineligible"

result["dibao/household"] := dibao_status

result["dibao_phase_out/household"] := phase_out_status

result[k] := s if {
	some m in input.members
	m["member.disabled"] == true
	k := concat("/", ["dibao_single_person", m.id])
	s := single_status(m)
}

result[k] := s if {
	some m in input.members
	m["member.employed"] == true
	m["member.wages"] > 0
	k := concat("/", ["employment_cost_deduction", m.id])
	s := cost_status
}

dibao_family_household if h["household.status.dibao"] == true

dibao_family_household if dibao_eligible

result[k] := s if {
	some m in input.members
	m["member.disabled"] == true
	k := concat("/", ["living_allowance", m.id])
	s := living_status(m)
}

result[k] := s if {
	some m in input.members
	m["member.disabled"] == true
	k := concat("/", ["care_subsidy", m.id])
	s := care_status(m)
}
