package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Options says how git is run. The zero value allows local paths and https
// and gives every call two minutes.
type Options struct {
	// Protocols lists the transports git may use ("file", "https"); empty
	// means both. Every other transport (ssh, git, ext, …) is refused by git.
	Protocols []string
	// Timeout bounds each git call; zero means DefaultTimeout.
	Timeout time.Duration
	// Home is the HOME git sees; empty means the directory that holds the
	// mirror, so no user's configuration or credentials are read.
	Home string
	// CAFile, unless empty, is the PEM file of the certificates git trusts
	// for https instead of the system's: a private CA's, such as a GitHub
	// Enterprise Server's.
	CAFile string
}

// DefaultTimeout bounds a git call when Options.Timeout is zero.
const DefaultTimeout = 2 * time.Minute

// maxStderr bounds how much of git's error output is kept for a message.
const maxStderr = 4 << 10

// gitError is a failed git call: its subcommand and what git said.
type gitError struct {
	op     string
	stderr string
	err    error
}

func (e *gitError) Error() string {
	if e.stderr == "" {
		return fmt.Sprintf("git %s: %v", e.op, e.err)
	}
	return fmt.Sprintf("git %s: %v: %s", e.op, e.err, e.stderr)
}

func (e *gitError) Unwrap() error { return e.err }

// runner runs git against one repository directory.
type runner struct {
	gitDir string
	opts   Options
	env    []string // extra variables for this runner (temporary index, objects)
}

// globalArgs are given to every call, before the subcommand: they override
// anything a repository's own config could set to run a program.
func (r *runner) globalArgs() []string {
	args := []string{
		"-c", "core.hooksPath=/dev/null",
		"-c", "core.fsmonitor=false",
		"-c", "core.sshCommand=false",
		"-c", "credential.helper=",
		"-c", "diff.external=",
		"-c", "transfer.fsckObjects=true",
		"-c", "protocol.allow=never",
	}
	protos := r.opts.Protocols
	if len(protos) == 0 {
		protos = []string{"file", "https"}
	}
	for _, p := range protos {
		args = append(args, "-c", "protocol."+p+".allow=always")
	}
	return args
}

// environ is the whole environment of a git call: nothing is inherited but
// PATH, so no GIT_* variable, editor, pager or proxy of the host leaks in.
func (r *runner) environ() []string {
	home := r.opts.Home
	if home == "" {
		home = parentDir(r.gitDir)
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_ATTR_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_ASKPASS=/bin/false",
		"SSH_ASKPASS=/bin/false",
		"GIT_NO_REPLACE_OBJECTS=1",
		"GIT_OPTIONAL_LOCKS=0",
		"LC_ALL=C",
		"TZ=UTC",
	}
	if r.gitDir != "" {
		env = append(env, "GIT_DIR="+r.gitDir)
	}
	if r.opts.CAFile != "" {
		env = append(env, "GIT_SSL_CAINFO="+r.opts.CAFile)
	}
	return append(env, r.env...)
}

// run runs git with args and stdin, returning its standard output.
func (r *runner) run(ctx context.Context, stdin io.Reader, args ...string) ([]byte, error) {
	var out bytes.Buffer
	err := r.stream(ctx, stdin, &out, args...)
	return out.Bytes(), err
}

// stream runs git with args, writing its standard output to stdout. A call
// that outlives its deadline is killed with its children.
func (r *runner) stream(ctx context.Context, stdin io.Reader, stdout io.Writer, args ...string) error {
	timeout := r.opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append(r.globalArgs(), args...)...)
	cmd.Env = r.environ()
	cmd.Dir = os.TempDir() // never a work tree git could discover
	cmd.Stdin = stdin
	cmd.Stdout = stdout
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	killGroup(cmd)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return &gitError{op: args[0], stderr: strings.TrimSpace(stderr.String()), err: err}
	}
	return nil
}

// exitCode returns the exit status of a failed git call, or -1.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// limitedBuffer keeps the first maxStderr bytes written to it.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxStderr - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func parentDir(dir string) string {
	if dir == "" {
		return os.TempDir()
	}
	return filepath.Dir(filepath.Clean(dir))
}
