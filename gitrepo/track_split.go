package gitrepo

import "bytes"

// commitSplitter is the io.Writer git log -p writes to: it cuts the stream
// into lines and the lines into commits ("commit <hash>"), and computes each
// commit's identity as its diff streams by.
type commitSplitter struct {
	ids     map[string]Identity
	order   []string // the commits, in the order git printed them
	partial []byte   // a line not yet ended
	hash    string
	state   *idState
	stopped bool // the diff of this commit has ended
}

func (w *commitSplitter) Write(p []byte) (int, error) {
	n := len(p)
	if len(w.partial) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			return n, nil
		}
		// The line is taken out of partial before it is read: a commit
		// line ends the commit before it (end), which must not read it
		// again.
		l := append(w.partial, p[:i+1]...)
		w.partial = nil
		w.line(l)
		w.partial, p = l[:0], p[i+1:]
	}
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			return n, nil
		}
		w.line(p[:i+1])
		p = p[i+1:]
	}
}

func (w *commitSplitter) line(l []byte) {
	if h, ok := bytes.CutPrefix(l, []byte("commit ")); ok && len(h) == 41 && validHash(string(h[:40])) {
		w.end()
		w.hash, w.state, w.stopped = string(h[:40]), &idState{}, false
		w.order = append(w.order, w.hash)
		return
	}
	if w.state != nil && !w.stopped {
		w.stopped = w.state.line(l)
	}
}

// end finishes the current commit; it is called once more after the stream.
func (w *commitSplitter) end() {
	if l := w.partial; len(l) > 0 {
		w.partial = nil
		w.line(l)
	}
	if w.state != nil {
		w.ids[w.hash] = w.state.finish()
		w.state = nil
	}
}
