package outpost

// EvacStore keeps the evacuation: restrictions, departures and saved plans.
type EvacStore interface {
}
