package main

import "github.com/spf13/cobra"

func (a *app) welfareCommands() []*cobra.Command { return nil }
