package main

import "github.com/spf13/cobra"

func (a *app) evacCommands() []*cobra.Command { return nil }

func (a *app) evacImportKinds() map[string]importFunc { return nil }
