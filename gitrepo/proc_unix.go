//go:build unix

package gitrepo

import (
	"os/exec"
	"syscall"
	"time"
)

// killGroup makes git the leader of its own process group and kills the
// whole group when the context ends, so that helpers git started (index-pack,
// remote-https) do not outlive a timeout.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
}
