package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// cliConfig is what vmt login saves: the server and the token to use.
type cliConfig struct {
	Server string `json:"server"`
	Token  string `json:"token"`
}

// userConfigDir is os.UserConfigDir reading the environment through e, so
// that tests point it at a temporary directory.
func userConfigDir(e *env) (string, error) {
	var dir string
	switch runtime.GOOS {
	case "windows":
		dir = e.getenv("AppData")
	case "darwin", "ios":
		if h := e.getenv("HOME"); h != "" {
			dir = filepath.Join(h, "Library", "Application Support")
		}
	default:
		dir = e.getenv("XDG_CONFIG_HOME")
		if !filepath.IsAbs(dir) {
			dir = ""
			if h := e.getenv("HOME"); h != "" {
				dir = filepath.Join(h, ".config")
			}
		}
	}
	if dir == "" {
		return "", errors.New("cannot find the user configuration directory: neither $XDG_CONFIG_HOME nor $HOME is set")
	}
	return dir, nil
}

// configPath is the file vmt login writes: <config dir>/vmt/config.json.
func configPath(e *env) (string, error) {
	dir, err := userConfigDir(e)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "vmt", "config.json"), nil
}

// loadConfig reads the saved configuration; a missing file is an empty one.
func loadConfig(e *env) (cliConfig, error) {
	var c cliConfig
	path, err := configPath(e)
	if err != nil {
		return c, err
	}
	b, err := readFile(e, path, limitConfig)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	} else if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("reading %s: %w", path, err)
	}
	return c, nil
}

// saveConfig writes c readable by its owner only. It writes a temporary file
// and renames it, so that a crash leaves the old file or the new one, and a
// file that was once too open does not keep its mode.
func saveConfig(e *env, c cliConfig) (string, error) {
	path, err := configPath(e)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".config-*.json") // mode 0600
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(f.Name(), path)
}
