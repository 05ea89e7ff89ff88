package reactor

import (
	"log/slog"
	"reflect"
	"testing"
	"time"
)

// WithOptions composes: earlier options survive its zero fields, later
// ones win over it.
func TestWithOptionsComposes(t *testing.T) {
	var o Options
	for _, f := range []Option{WithLoops(3), WithLinger(time.Second), WithOptions(Options{IdleTimeout: time.Minute, Linger: 2 * time.Second}), WithIdleTimeout(time.Hour)} {
		f(&o)
	}
	if o.Loops != 3 || o.Linger != 2*time.Second || o.IdleTimeout != time.Hour {
		t.Fatalf("options = %+v", o)
	}
}

// Every field of Options is carried by WithOptions (a new field that it
// forgets fails here).
func TestWithOptionsCarriesEveryField(t *testing.T) {
	var full Options
	v := reflect.ValueOf(&full).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue // internal knobs (tests'), not part of the API
		}
		switch f.Kind() {
		case reflect.Int, reflect.Int64:
			f.SetInt(7)
		case reflect.Func:
			f.Set(reflect.ValueOf(func(error) {}))
		case reflect.Pointer:
			f.Set(reflect.ValueOf(slog.Default()))
		default:
			t.Fatalf("field %s of kind %s: teach this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	var got Options
	WithOptions(full)(&got)
	g := reflect.ValueOf(got)
	for i := range v.NumField() {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		a, b := v.Field(i), g.Field(i)
		same := a.Kind() == reflect.Func && a.Pointer() == b.Pointer() || a.Kind() != reflect.Func && a.Interface() == b.Interface()
		if !same {
			t.Errorf("WithOptions drops %s", v.Type().Field(i).Name)
		}
	}
}
