// Package service names the services of every capability together: the
// server builds one Set and hands the same services to the JSON API and
// the web UI, so that both answer from one census snapshot, one check-in
// batcher and the same rules.
package service

import (
	censusservice "github.com/outpost-org/outpost/internal/service/census"
	"github.com/outpost-org/outpost/internal/service/evacuation"
	"github.com/outpost-org/outpost/internal/service/imports"
	"github.com/outpost-org/outpost/internal/service/registry"
	"github.com/outpost-org/outpost/internal/service/reports"
	"github.com/outpost-org/outpost/internal/service/statements"
	supplyservice "github.com/outpost-org/outpost/internal/service/supply"
	"github.com/outpost-org/outpost/internal/service/welfare"
)

// Set is one service per capability.
type Set struct {
	Census     *censusservice.Service
	Registry   *registry.Service
	Supply     *supplyservice.Service
	Evacuation *evacuation.Service
	Welfare    *welfare.Service
	Statements *statements.Service
	Reports    *reports.Service
	Imports    *imports.Service
}
