package gitrepo

import (
	"fmt"
	"strings"
)

// ValidBranch reports whether name is a branch name vmt accepts: the rules of
// git check-ref-format, narrowed to a plain character set so that a name can
// never be read as an option, a revision expression or a path outside
// refs/heads/.
func ValidBranch(name string) error {
	switch {
	case name == "" || len(name) > 200:
		return fmt.Errorf("branch name %q: must have 1 to 200 characters", name)
	case strings.HasPrefix(name, "-") || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/"):
		return fmt.Errorf("branch name %q: must not start with '-' or '/' nor end with '/'", name)
	case strings.Contains(name, "..") || strings.Contains(name, "//") || strings.Contains(name, "@{"):
		return fmt.Errorf("branch name %q: must not contain '..', '//' or '@{'", name)
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, ".lock") || name == "HEAD":
		return fmt.Errorf("branch name %q: must not end with '.' or '.lock' nor be HEAD", name)
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return fmt.Errorf("branch name %q: no component may start with '.'", name)
		}
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._/-+", c)) {
			return fmt.Errorf("branch name %q: character %q is not allowed", name, c)
		}
	}
	return nil
}

// validHash reports whether s is a full SHA-1 object name in lower case, the
// only form of commit name this package passes to git.
func validHash(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
