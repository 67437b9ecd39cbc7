//go:build !unix

package gitrepo

import (
	"os/exec"
	"time"
)

// killGroup only bounds the wait where process groups do not exist.
func killGroup(cmd *exec.Cmd) { cmd.WaitDelay = 5 * time.Second }
