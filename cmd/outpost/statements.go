package main

import "github.com/spf13/cobra"

func (a *app) statementCommands() []*cobra.Command { return nil }
