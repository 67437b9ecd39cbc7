package vmt

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseVersions(t *testing.T) {
	tests := []struct {
		in    string
		want  VersionSet
		out   string // as String writes it
		errAt string // the clause the error quotes; "" for no error
	}{
		{"<3.2.1", VersionSet{Ranges: []VersionRange{{Introduced: "0", Fixed: "3.2.1"}}}, "<3.2.1", ""},
		{"<= 1.2.3", VersionSet{Ranges: []VersionRange{{Introduced: "0", LastAffected: "1.2.3"}}}, "<=1.2.3", ""},
		{">=3.0.0 <3.2.1", VersionSet{Ranges: []VersionRange{{Introduced: "3.0.0", Fixed: "3.2.1"}}}, ">=3.0.0 <3.2.1", ""},
		{">=3.0.0 <=3.2.0", VersionSet{Ranges: []VersionRange{{Introduced: "3.0.0", LastAffected: "3.2.0"}}}, ">=3.0.0 <=3.2.0", ""},
		{">=3.3.0", VersionSet{Ranges: []VersionRange{{Introduced: "3.3.0"}}}, ">=3.3.0", ""},
		{"3.3.0-dev", VersionSet{Exact: []string{"3.3.0-dev"}}, "==3.3.0-dev", ""},
		{"==3.3.0-dev", VersionSet{Exact: []string{"3.3.0-dev"}}, "==3.3.0-dev", ""},
		{"All versions", VersionSet{Ranges: []VersionRange{{Introduced: "0"}}}, "all", ""},
		{"all", VersionSet{Ranges: []VersionRange{{Introduced: "0"}}}, "all", ""},
		// OpenStack's forms.
		{">=8.0.0 <8.1.1 and ==9.0.0", VersionSet{Ranges: []VersionRange{{Introduced: "8.0.0", Fixed: "8.1.1"}}, Exact: []string{"9.0.0"}}, ">=8.0.0 <8.1.1, ==9.0.0", ""},
		{"<16.4.1, >=17.0.0 <17.2.1, >=18.0.0 <18.1.1", VersionSet{Ranges: []VersionRange{{Introduced: "0", Fixed: "16.4.1"},
			{Introduced: "17.0.0", Fixed: "17.2.1"}, {Introduced: "18.0.0", Fixed: "18.1.1"}}}, "<16.4.1, >=17.0.0 <17.2.1, >=18.0.0 <18.1.1", ""},
		{"v1.2.0", VersionSet{Exact: []string{"v1.2.0"}}, "==v1.2.0", ""},

		{"", VersionSet{}, "", "is empty"},
		{"up to 2014.1.3", VersionSet{}, "", "up to 2014.1.3"},
		{"<3.2.1 >=3.0.0", VersionSet{}, "", "<3.2.1 >=3.0.0"},
		{">3.0.0", VersionSet{}, "", ">3.0.0"},
		{"<3.2.1,", VersionSet{}, "", `""`},
		{">=1 <2 <3", VersionSet{}, "", ">=1 <2 <3"},
		{">=1 ==2", VersionSet{}, "", ">=1 ==2"},
		{"<3.2.1; rm", VersionSet{}, "", "<3.2.1; rm"},
	}
	for _, tt := range tests {
		got, err := ParseVersions("affected[0].versions", tt.in)
		if tt.errAt != "" {
			if ErrorCode(err) != EINVALID || ErrorField(err) != "affected[0].versions" ||
				!strings.Contains(err.Error(), tt.errAt) {
				t.Errorf("ParseVersions(%q) = %+v, %v; want EINVALID on the field quoting %q", tt.in, got, err, tt.errAt)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) || got.String() != tt.out {
			t.Errorf("ParseVersions(%q) = %+v (%q), %v; want %+v (%q)", tt.in, got, got.String(), err, tt.want, tt.out)
			continue
		}
		// What String writes reads back the same.
		again, err := ParseVersions("v", got.String())
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("round trip of %q: %+v, %v", got.String(), again, err)
		}
	}
}

// FuzzParseVersions: whatever parses is written back to a text that
// parses to the same set.
func FuzzParseVersions(f *testing.F) {
	for _, s := range []string{"<3.2.1", ">=8.0.0 <8.1.1 and ==9.0.0", "all", "<= 1.2", "1.0, 2.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersions("v", s)
		if err != nil {
			return
		}
		again, err := ParseVersions("v", v.String())
		if err != nil || !reflect.DeepEqual(again, v) {
			t.Fatalf("%q: %+v written %q reads %+v, %v", s, v, v.String(), again, err)
		}
	})
}

func TestAllSemVer(t *testing.T) {
	tests := []struct {
		versions string
		want     bool
	}{
		{"<3.2.1", true},
		{">=3.0.0 <=3.2.0, ==3.3.0-rc.1", true},
		{"all", true},
		{"<3.2.1+build.5", true},
		{"<v3.2.1", false},
		{">=19.03.0 <19.03.5", false},
		{"<2.4", false},
		{"==1.2.3.4", false},
	}
	for _, tt := range tests {
		v, err := ParseVersions("versions", tt.versions)
		if err != nil {
			t.Fatal(err)
		}
		if got := AllSemVer(v.Ranges, v.Exact); got != tt.want {
			t.Errorf("AllSemVer(%q) = %v, want %v", tt.versions, got, tt.want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"3.2.1", "3.2.1", 0},
		{"3.2.0", "3.2.1", -1},
		{"3.10.0", "3.9.9", 1},
		{"v3.2.1", "3.2.1", 0},
		{"3.2", "3.2.0", 0},
		{"19.03.0", "19.3.0", 0},
		{"3.2.1-rc1", "3.2.1", -1},
		{"3.2.1-rc.2", "3.2.1-rc.10", -1},
		{"3.2.1-alpha", "3.2.1-alpha.1", -1},
		{"3.2.1-1", "3.2.1-alpha", -1},
		{"3.2.1+build.5", "3.2.1", 0},
		{"2023.1.0", "2023.1", 0},
		{"0", "0.0.1", -1},
		{"12345678901234567890.0", "12345678901234567891.0", -1},
	} {
		if got := CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := CompareVersions(tc.b, tc.a); got != -tc.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
}

func TestVersionRangeContains(t *testing.T) {
	for _, tc := range []struct {
		text    string
		in, out []string
	}{
		{"<3.2.1", []string{"0.1.0", "3.2.0", "3.2.1-rc1"}, []string{"3.2.1", "3.3.0", "10.0.0"}},
		{"<=3.2.0", []string{"3.2.0", "1.0.0"}, []string{"3.2.1", "4.0.0"}},
		{">=3.0.0 <3.2.1", []string{"3.0.0", "3.2.0"}, []string{"2.9.9", "3.0.0-rc1", "3.2.1"}},
		{">=3.3.0", []string{"3.3.0", "99.0.0"}, []string{"3.2.9"}},
		{"all", []string{"0.0.1", "99.0.0"}, nil},
	} {
		vs, err := ParseVersions("versions", tc.text)
		if err != nil || len(vs.Ranges) != 1 {
			t.Fatalf("%s: %v %v", tc.text, vs, err)
		}
		for _, v := range tc.in {
			if !vs.Ranges[0].Contains(v) {
				t.Errorf("%s does not contain %s", tc.text, v)
			}
		}
		for _, v := range tc.out {
			if vs.Ranges[0].Contains(v) {
				t.Errorf("%s contains %s", tc.text, v)
			}
		}
	}
}
