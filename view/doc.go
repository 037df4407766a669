// Package view renders plans, drift and progress for people (text, colour
// on a terminal only) and for programs (versioned JSON, Prometheus text).
// Everything is sorted by address; sensitive values print as (sensitive).
package view
