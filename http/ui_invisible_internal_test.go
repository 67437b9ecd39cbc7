package http

import "testing"

// TestShowInvisibleContexts checks each place of a page an invisible
// character can be: text gets a marked escape, an attribute value the bare
// escaped form (no markup inside a tag), a textarea keeps it as written.
func TestShowInvisibleContexts(t *testing.T) {
	for in, want := range map[string]string{
		"<p>a\u202eb</p>":                                     `<p>a<span class="invisible-char" title="An invisible or direction-changing character, U+202E, is here">&lt;U+202E&gt;</span>b</p>`,
		`<a title="a` + "\u200b" + `b">x</a>`:                 `<a title="a&lt;U+200B&gt;b">x</a>`,
		"<textarea name=d>a\u202eb</textarea><i>c\u200bd</i>": "<textarea name=d>a\u202eb</textarea><i>c" + `<span class="invisible-char" title="An invisible or direction-changing character, U+200B, is here">&lt;U+200B&gt;</span>d</i>`,
		"<p>👩\u200d💻 and plain</p>":                           "<p>👩\u200d💻 and plain</p>",
	} {
		if got := string(showInvisible([]byte(in))); got != want {
			t.Errorf("showInvisible(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
