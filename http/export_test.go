package http

// Routes returns the pattern of every route s serves, in the order they
// were registered, for tests that must cover every route.
func Routes(s *Server) []string { return append([]string(nil), s.mux.patterns...) }
