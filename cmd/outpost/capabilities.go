package main

import "github.com/spf13/cobra"

// Each capability contributes its commands and import kinds here, from its
// own file: supply.go, evac.go, server.go, welfare.go, statements.go.

func (a *app) capabilityCommands() []*cobra.Command {
	var out []*cobra.Command
	for _, cs := range [][]*cobra.Command{
		a.supplyCommands(), a.evacCommands(), a.serverCommands(), a.welfareCommands(), a.statementCommands(),
	} {
		out = append(out, cs...)
	}
	return out
}

func (a *app) capabilityImportKinds() map[string]importFunc {
	out := map[string]importFunc{}
	for _, ks := range []map[string]importFunc{a.supplyImportKinds(), a.evacImportKinds()} {
		for k, f := range ks {
			out[k] = f
		}
	}
	return out
}
