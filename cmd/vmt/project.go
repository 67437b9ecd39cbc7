package main

// projectGroup holds the project subcommands; each file project_*.go adds one.
var projectGroup = &group{name: "project", summary: "list and show projects; set their members, branches, notice lists, disclosure and publication settings"}

func init() { commands = append(commands, projectGroup.command()) }
