package household

import (
	"strings"
	"time"
)

// gb11643Weights are the weights of the first 17 digits of a citizen ID.
var gb11643Weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// CheckChar returns the GB 11643-1999 check character for the first 17
// digits of a citizen ID.
func CheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, Errorf("need 17 digits, got %d characters", "应为 17 位数字，实有 %d 个字符", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, Errorf("character %d (%q) is not a digit", "第 %d 个字符（%q）不是数字", i+1, c)
		}
		sum += int(c-'0') * gb11643Weights[i]
	}
	return "10X98765432"[sum%11], nil
}

// CitizenID is a parsed 18-character citizen ID (公民身份号码).
type CitizenID struct {
	Region string // first six digits: GB/T 2260 code of the place of registration
	Birth  Date
	Sex    string // "male" or "female" from the 17th digit
	// Number is the 18-character ID: as given, or the first-generation
	// 15-digit ID made into it (see CitizenID18).
	Number string
	// FirstGeneration: the ID was given in its 15-digit first-generation
	// form.
	FirstGeneration bool
}

// CitizenID18 makes a 15-digit first-generation citizen ID (issued before
// GB 11643-1999; the year of birth in two digits, no check character) into
// the 18-character ID that replaced it: 19 inserted before the year and the
// check character appended. ok is false for anything but 15 digits.
func CitizenID18(id string) (string, bool) {
	if len(id) != 15 {
		return "", false
	}
	first17 := id[:6] + "19" + id[6:]
	check, err := CheckChar(first17)
	if err != nil {
		return "", false
	}
	return first17 + string(check), true
}

// ParseCitizenID checks the form, the birth date and the check character.
// A 15-digit first-generation ID is read as the 18-character ID it became
// (FirstGeneration; CitizenID18): it has no check character of its own.
func ParseCitizenID(id string) (CitizenID, error) {
	if id18, ok := CitizenID18(id); ok {
		c, err := ParseCitizenID(id18)
		if err != nil {
			return CitizenID{}, Errorf("digits 7–12 (%s) of a 15-digit ID are not a birth date", "15 位号码的第 7 至 12 位（%s）不是有效的出生日期", id[6:12])
		}
		c.FirstGeneration = true
		return c, nil
	}
	if len(id) != 18 {
		return CitizenID{}, Errorf("a citizen ID has 18 characters, this has %d", "公民身份号码应为 18 位，此号码有 %d 位", len([]rune(id)))
	}
	want, err := CheckChar(id[:17])
	if err != nil {
		return CitizenID{}, err
	}
	got := id[17]
	if got == 'x' {
		got = 'X'
	}
	if got != want {
		hint, hintZh := "", ""
		if strings.HasSuffix(id, "000") {
			hint = "; an ID ending in 000 is often one a spreadsheet kept as a number, which keeps 15 digits: format the column as text and enter the ID again"
			hintZh = "；以 000 结尾的号码多是电子表格按数值保存（只保留 15 位）所致，请把该列设为文本格式后重新填写"
		}
		return CitizenID{}, Errorf("check character is %[1]q but the first 17 digits give %[2]q (GB 11643)%[3]s", "校验码为 %[1]q，但按前 17 位应为 %[2]q（GB 11643）%[4]s", id[17], want, hint, hintZh)
	}
	birth, err := parseYYYYMMDD(id[6:14])
	if err != nil {
		return CitizenID{}, Errorf("digits 7–14 (%s) are not a birth date", "第 7 至 14 位（%s）不是有效的出生日期", id[6:14])
	}
	sex := "female"
	if (id[16]-'0')%2 == 1 {
		sex = "male"
	}
	return CitizenID{Region: id[:6], Birth: Date{birth}, Sex: sex, Number: strings.ToUpper(id)}, nil
}

// parseYYYYMMDD is time.Parse("20060102", s), without its generality for
// the common case of eight digits that make a date.
func parseYYYYMMDD(s string) (time.Time, error) {
	if len(s) == 8 {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[4:6])
		d, ok3 := digits(s[6:8])
		if ok1 && ok2 && ok3 && m >= 1 && m <= 12 && d >= 1 {
			if t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC); t.Day() == d {
				return t, nil
			}
		}
	}
	return time.Parse("20060102", s)
}

// Certificate is what a second-generation disability certificate number
// (残疾人证号) says: the holder's citizen ID, then one digit for the category
// and one for the grade.
type Certificate struct {
	CitizenID string
	Category  string // canonical category code
	Grade     int
}

// ParseCertificate reads a certificate number of the second-generation form.
// ok is false when the number does not follow that form (it may still be a
// valid number of another form; it is then not cross-checked).
func ParseCertificate(no string) (c Certificate, ok bool) {
	if len(no) != 20 {
		return Certificate{}, false
	}
	if _, err := ParseCitizenID(no[:18]); err != nil {
		return Certificate{}, false
	}
	cat := ""
	for _, k := range Categories {
		if k.Digit == no[18] {
			cat = k.Code
		}
	}
	if cat == "" || no[19] < '1' || no[19] > '4' {
		return Certificate{}, false
	}
	return Certificate{CitizenID: no[:18], Category: cat, Grade: int(no[19] - '0')}, true
}
