package vmt

// BootstrapInput sets up an empty instance.
type BootstrapInput struct {
	AdminEmail    string
	AdminPassword string // empty: sign in with the token only
	AdminToken    string // empty: a fresh secret is made
	Project       Project
}
