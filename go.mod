module github.com/vmtproject/vmt

go 1.26.8

require golang.org/x/crypto v0.59.0

require (
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/time v0.16.0 // indirect
)
