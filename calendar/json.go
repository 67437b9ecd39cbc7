package calendar

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// policyJSON is how a policy is written in a project's settings and in
// the API: words a coordinator can read and edit.
//
//	{"window": "3-5", "hour": 0, "avoid": ["Monday", "Friday"],
//	 "countries": ["US"], "periods": [{"name": "end of year", "from": "12-24", "to": "01-02"}]}
type policyJSON struct {
	Window    string       `json:"window"`
	Hour      *int         `json:"hour"`
	Avoid     *[]string    `json:"avoid"`
	Countries []string     `json:"countries"`
	Periods   []periodJSON `json:"periods"`
}

type periodJSON struct {
	Name string `json:"name"`
	From string `json:"from"` // MM-DD
	To   string `json:"to"`
}

// MarshalJSON writes the policy in the settings form.
func (p Policy) MarshalJSON() ([]byte, error) {
	avoid := []string{}
	for _, d := range p.Avoid {
		avoid = append(avoid, d.String())
	}
	v := policyJSON{
		Window: fmt.Sprintf("%d-%d", p.MinDays, p.MaxDays), Hour: &p.Hour,
		Avoid: &avoid, Countries: p.Countries, Periods: []periodJSON{},
	}
	if v.Countries == nil {
		v.Countries = []string{}
	}
	for _, per := range p.Periods {
		v.Periods = append(v.Periods, periodJSON{per.Name, mmdd(per.From), mmdd(per.To)})
	}
	return json.Marshal(v)
}

func mmdd(m MonthDay) string { return fmt.Sprintf("%02d-%02d", int(m.Month), m.Day) }

// UnmarshalJSON reads the settings form, refusing unknown fields, and
// validates the result: a stored policy is always one Next accepts.
// "window", "hour" and "avoid" are required (an empty "avoid" list must
// be written out), so that a forgotten field is not silently read as
// midnight or as no avoided weekday; "countries" and "periods" may be
// left out for none.
func (p *Policy) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var v policyJSON
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("disclosure policy: %w", err)
	}
	if v.Hour == nil || v.Avoid == nil {
		return fmt.Errorf("disclosure policy: \"hour\" and \"avoid\" are required")
	}
	var q Policy
	var err error
	if q.MinDays, q.MaxDays, err = ParseWindow(v.Window); err != nil {
		return err
	}
	q.Hour, q.Countries = *v.Hour, v.Countries
	for i, s := range *v.Avoid {
		d, err := ParseWeekday(s)
		if err != nil {
			return fmt.Errorf("avoid[%d]: %w", i, err)
		}
		q.Avoid = append(q.Avoid, d)
	}
	for i, pj := range v.Periods {
		per, err := ParsePeriod(pj.Name + "=" + pj.From + ".." + pj.To)
		if err != nil {
			return fmt.Errorf("periods[%d]: %w", i, err)
		}
		q.Periods = append(q.Periods, per)
	}
	if err := q.Validate(); err != nil {
		return err
	}
	*p = q
	return nil
}

var (
	_ json.Marshaler   = Policy{}
	_ json.Unmarshaler = (*Policy)(nil)
)
