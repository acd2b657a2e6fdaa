package main

import "github.com/spf13/cobra"

func (a *app) supplyCommands() []*cobra.Command { return nil }

func (a *app) supplyImportKinds() map[string]importFunc { return nil }
