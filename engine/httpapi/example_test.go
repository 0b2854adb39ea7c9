package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"entitle/engine"
	"entitle/engine/httpapi"
)

// Mount the API in a case-management system's own mux, under a prefix, and
// post households to it. The answer is the engine's result as JSON: here the
// care subsidy waits on one fact, which the answer names for the caseworker
// to ask. A record the engine cannot read gets an application/problem+json
// answer with a stable code and the field at fault.
func ExampleNew() {
	eng, err := engine.LoadEmbedded()
	if err != nil {
		panic(err)
	}
	api := httpapi.New(eng, httpapi.Options{}) // no decision log, no token

	mux := http.NewServeMux()
	mux.Handle("/entitle/", http.StripPrefix("/entitle", api))
	site := httptest.NewServer(mux)
	defer site.Close()

	record := `{"id": "H-1", "jurisdiction": "150700", "residence": "rural",
	  "status": ["dibao"], "property_test": "pass",
	  "members": [{"id": "M1", "birth_date": "1980-01-01",
	    "disability": {"category": "physical", "grade": 1, "certificate_valid": true},
	    "care": {"needed": true, "months": 24}}]}`
	resp, err := http.Post(site.URL+"/entitle/v1/evaluate?as_of=2025-06-30&lang=zh",
		"application/json", strings.NewReader(record))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()

	var res struct {
		Determinations []struct {
			Benefit, Subject, Status string
			Citations                []struct{ Title, Section string }
			Missing                  []struct {
				Label struct{ Zh string }
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		panic(err)
	}
	fmt.Println(resp.Status)
	for _, d := range res.Determinations {
		if d.Benefit != "care_subsidy" {
			continue
		}
		fmt.Println(d.Benefit, d.Subject, d.Status)
		fmt.Printf("依据：《%s》%s\n", d.Citations[0].Title, d.Citations[0].Section)
		for _, m := range d.Missing {
			fmt.Println("需补充：", m.Label.Zh)
		}
	}

	// A record the engine cannot read: 422, with the field named.
	bad, err := http.Post(site.URL+"/entitle/v1/evaluate", "application/json",
		strings.NewReader(`{"id": "H-2", "jurisdiction": "150700", "residence": "rural",
		  "members": [{"id": "M1", "birth_date": "1980-01-01", "disability": {"category": "physical", "grade": 5}}]}`))
	if err != nil {
		panic(err)
	}
	defer bad.Body.Close()
	var problem httpapi.Problem
	if err := json.NewDecoder(bad.Body).Decode(&problem); err != nil {
		panic(err)
	}
	fmt.Println(bad.StatusCode, bad.Header.Get("Content-Type"), problem.Code)
	for _, e := range problem.Errors {
		fmt.Println(e.Code, e.Field, e.MessageZh)
	}
	// Output:
	// 200 OK
	// care_subsidy M1 undetermined
	// 依据：《残疾人两项补贴与其他制度的衔接规定（地方实施文件转述）》
	// 需补充： 成员 M1：是否领取工伤保险生活护理费
	// 422 application/problem+json S422
	// H011 members[0].disability.grade 残疾等级应为 1 至 4 或一级至四级（GB/T 26341-2010）；填写的是 5
}
