package main

// userGroup holds the user subcommands; each file user_*.go adds one.
var userGroup = &group{name: "user", summary: "invite, add and list users (administrators), set your password, store your OpenPGP key"}

func init() { commands = append(commands, userGroup.command()) }
