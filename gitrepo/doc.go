// Package gitrepo is vmt's only user of git. It keeps bare mirror clones of a
// project's repositories, parses and checks private patches (git format-patch
// output) against the tip of a branch, and decides by patch identity whether a
// fix has landed on a branch, so that a backport with another hash is found.
//
// It runs the real git binary with a clean environment: no system or global
// configuration, no hooks, only the transports the caller allows, a deadline
// on every call, and never a caller's string where git could read an option.
package gitrepo
