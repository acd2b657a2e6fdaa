package main

import "github.com/spf13/cobra"

func (a *app) serverCommands() []*cobra.Command { return nil }
