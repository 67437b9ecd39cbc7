package vmt

import "testing"

func TestListEdits(t *testing.T) {
	var d DisclosureSettings
	d.PutList(NoticeList{Name: "distros", Address: "a@example.org"})
	d.PutList(NoticeList{Name: "cloud", Address: "c@example.org"})
	d.PutList(NoticeList{Name: "distros", Address: "b@example.org"}) // replaced, in place
	if len(d.Lists) != 2 || d.Lists[0].Address != "b@example.org" || d.Lists[1].Name != "cloud" {
		t.Fatalf("lists %+v", d.Lists)
	}
	if err := d.RemoveList("nope"); ErrorCode(err) != EINVALID {
		t.Errorf("removing a list that is not there: %v", err)
	}
	if err := d.RemoveList("distros"); err != nil || len(d.Lists) != 1 || d.Lists[0].Name != "cloud" {
		t.Errorf("after removing distros: %v, %+v", err, d.Lists)
	}
	var p PublicationSettings
	p.PutList(AnnouncementList{Address: "oss@example.org"})
	p.PutList(AnnouncementList{Address: "oss@example.org", Signing: SignNone})
	if len(p.Lists) != 1 || p.Lists[0].Signing != SignNone {
		t.Errorf("announcement lists %+v", p.Lists)
	}
	if err := p.RemoveList("dev@example.org"); ErrorCode(err) != EINVALID {
		t.Errorf("removing a list that is not there: %v", err)
	}
	if err := p.RemoveList("oss@example.org"); err != nil || len(p.Lists) != 0 {
		t.Errorf("after removing: %v, %+v", err, p.Lists)
	}
}
