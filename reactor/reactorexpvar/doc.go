// Package reactorexpvar publishes a reactor's Stats with the standard
// library's expvar, so that /debug/vars shows them. It is a package of its
// own because importing expvar registers /debug/vars on
// http.DefaultServeMux, which users of the reactor alone should not get.
package reactorexpvar
