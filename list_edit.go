package vmt

import "slices"

// PutList adds notice list l, or replaces the one of its name: a list is
// named once (the page and the CLI edit them the same way).
func (d *DisclosureSettings) PutList(l NoticeList) {
	d.Lists = putBy(d.Lists, l, func(o NoticeList) bool { return o.Name == l.Name })
}

// RemoveList takes off the notice list named name: EINVALID when there is
// none.
func (d *DisclosureSettings) RemoveList(name string) error {
	var ok bool
	if d.Lists, ok = removeBy(d.Lists, func(l NoticeList) bool { return l.Name == name }); !ok {
		return Invalid("lists", "no notice list %q to remove", name)
	}
	return nil
}

// PutList adds announcement list l, or replaces the one of its address.
func (p *PublicationSettings) PutList(l AnnouncementList) {
	p.Lists = putBy(p.Lists, l, func(o AnnouncementList) bool { return o.Address == l.Address })
}

// RemoveList takes off the announcement list at address: EINVALID when
// there is none.
func (p *PublicationSettings) RemoveList(address string) error {
	var ok bool
	if p.Lists, ok = removeBy(p.Lists, func(l AnnouncementList) bool { return l.Address == address }); !ok {
		return Invalid("lists", "no announcement list %q to remove", address)
	}
	return nil
}

// putBy replaces the first element same matches with v, or appends v.
func putBy[T any](s []T, v T, same func(T) bool) []T {
	if i := slices.IndexFunc(s, same); i >= 0 {
		s[i] = v
		return s
	}
	return append(s, v)
}

// removeBy deletes the first element match matches, and says whether
// there was one.
func removeBy[T any](s []T, match func(T) bool) ([]T, bool) {
	i := slices.IndexFunc(s, match)
	if i < 0 {
		return s, false
	}
	return slices.Delete(s, i, i+1), true
}
