package main

// projectGroup holds the project subcommands; each file project_*.go adds one.
var projectGroup = &group{name: "project", summary: "list and show projects, and set their members"}

func init() { commands = append(commands, projectGroup.command()) }
