package calendar

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPolicyJSON(t *testing.T) {
	p := with(func(p *Policy) { p.Countries = []string{"US", "GB"}; p.Hour = 15 })
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"window":"3-5","hour":15,"avoid":["Monday","Friday"],"countries":["US","GB"],"periods":[{"name":"end of year","from":"12-24","to":"01-02"}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back Policy
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Errorf("round trip: %+v, want %+v", back, p)
	}
	var none Policy
	if err := json.Unmarshal([]byte(`{"window":"1-2","hour":0,"avoid":[]}`), &none); err != nil {
		t.Fatal(err)
	}
	if none.MinDays != 1 || none.MaxDays != 2 || len(none.Avoid)+len(none.Countries)+len(none.Periods) != 0 {
		t.Errorf("minimal policy %+v", none)
	}
	if _, err := none.Next(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("minimal policy: %v", err)
	}
}

func TestPolicyJSONRefuses(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"window":"3-5","avoid":[]}`, `"hour" and "avoid" are required`},
		{`{"window":"3-5","hour":0}`, `"hour" and "avoid" are required`},
		{`{"hour":0,"avoid":[]}`, `window: "" is not a range`},
		{`{"window":"3-5","hour":25,"avoid":[]}`, "hour: 25 is not an hour of the day"},
		{`{"window":"3-5","hour":0,"avoid":["Funday"]}`, `avoid[0]: weekday: "Funday"`},
		{`{"window":"3-5","hour":0,"avoid":[],"countries":["XX"]}`, `no holiday calendar for "XX"`},
		{`{"window":"3-5","hour":0,"avoid":[],"periods":[{"name":"x","from":"02-30","to":"03-01"}]}`, "periods[0]: period \"x=02-30..03-01\": February has no day 30"},
		{`{"window":"3-5","hour":0,"avoid":[],"tz":"CET"}`, `unknown field "tz"`},
	} {
		p := DefaultPolicy()
		err := json.Unmarshal([]byte(c.in), &p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error = %v, want %q", c.in, err, c.want)
		}
		if !reflect.DeepEqual(p, DefaultPolicy()) {
			t.Errorf("%s: the policy changed on error", c.in)
		}
	}
}
