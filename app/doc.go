// Package app is the application: the use cases of vmt, from any front end
// (the HTTP server, the CLI, the background jobs), against the domain of the
// root package vmt. Each use case takes the Actor, asks the domain's access
// policy what that actor may see and do, runs in a store transaction and
// enqueues its side effects. It talks to nothing outside by itself: the store
// and every outside capability are handed to it.
package app
