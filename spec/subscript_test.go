package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseSubscripts: indexes and keys after a reference's attribute,
// and what is refused.
func TestParseSubscripts(t *testing.T) {
	at := Pos{File: "f", Line: 1, Col: 1}
	tests := map[string]struct {
		in      string
		want    *Ref
		wantErr string
	}{
		"index into a list attribute": {in: "${web[0].private_ips[0]}",
			want: &Ref{Raw: "web[0].private_ips[0]", Addr: "web", Idx: 0, Attr: "private_ips", Sub: []Subscript{{Idx: 0}}, Pos: at}},
		"key into a map attribute": {in: `${db.parameters["max_connections"]}`,
			want: &Ref{Raw: `db.parameters["max_connections"]`, Addr: "db", Idx: -1, Attr: "parameters", Sub: []Subscript{{Key: "max_connections", Keyed: true}}, Pos: at}},
		"index then field": {in: "${web[1].interfaces[2].ip}",
			want: &Ref{Raw: "web[1].interfaces[2].ip", Addr: "web", Idx: 1, Attr: "interfaces", Sub: []Subscript{{Idx: 2}, {Key: "ip", Field: true}}, Pos: at}},
		"keyed copy, then index": {in: `${web["eu"].private_ips[1]}`,
			want: &Ref{Raw: `web["eu"].private_ips[1]`, Addr: "web", Idx: -1, Key: "eu", Keyed: true, Attr: "private_ips", Sub: []Subscript{{Idx: 1}}, Pos: at}},
		"splat, then index": {in: "${web[*].private_ips[0]}",
			want: &Ref{Raw: "web[*].private_ips[0]", Addr: "web", Idx: -1, Splat: true, Attr: "private_ips", Sub: []Subscript{{Idx: 0}}, Pos: at}},
		"variable": {in: `${var.zones[1]["name"]}`,
			want: &Ref{Raw: `var.zones[1]["name"]`, Var: "zones", Idx: -1, Sub: []Subscript{{Idx: 1}, {Key: "name", Keyed: true}}, Pos: at}},
		"data source": {in: "${data.img.tags[0]}",
			want: &Ref{Raw: "data.img.tags[0]", Data: "img", Attr: "tags", Idx: -1, Sub: []Subscript{{Idx: 0}}, Pos: at}},
		"each value": {in: "${each.value.ports[0]}",
			want: &Ref{Raw: "each.value.ports[0]", Each: "value", Attr: "ports", Idx: -1, Sub: []Subscript{{Idx: 0}}, Pos: at}},
		"index of ${index}":      {in: "${index[0]}", wantErr: "${index} cannot be indexed in ${index[0]}"},
		"index of an input":      {in: "${input.ips[0]}", wantErr: "${input.ips} cannot be indexed"},
		"huge index":             {in: "${web[0].private_ips[99999999]}", wantErr: "index [99999999] is out of range in ${web[0].private_ips[99999999]}"},
		"no attribute":           {in: "${web[0]}", wantErr: "malformed reference ${web[0]}"},
		"field first":            {in: "${web[0].private_ips.x}", wantErr: "malformed reference"},
		"splat in the subscript": {in: "${web[0].private_ips[*]}", wantErr: "malformed reference"},
		"unquoted key":           {in: "${db.parameters[max]}", wantErr: "malformed reference"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tmpl, errs := parseTemplate(tc.in, at)
			if tc.wantErr != "" {
				if len(errs) == 0 || !strings.Contains(errs[0].msg, tc.wantErr) {
					t.Fatalf("errors = %v, want %q", errs, tc.wantErr)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors = %v", errs)
			}
			if diff := cmp.Diff(tc.want, tmpl.Whole()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestEvalSubscripts: the value an indexed reference stands for, Unknown
// while its value is, and the errors at the reference's position.
func TestEvalSubscripts(t *testing.T) {
	attrs := map[string]any{
		"web[0].private_ips": []any{"10.0.0.2", "10.1.0.2"},
		"web[0].interfaces":  []any{map[string]any{"ip": "10.0.0.2", "network": "n1"}},
		"web[0].public_ip":   "198.18.0.2",
		"web[0].status":      nil,
		"web[1].private_ips": Unknown{Ref: "${web[1].private_ips}"},
		"web[2].private_ips": []any{Unknown{Ref: "x"}, "10.1.0.9"},
		"web[*].private_ips": []any{[]any{"10.0.0.2"}, []any{"10.0.0.3"}},
		"db.parameters":      map[string]any{"max_connections": "500"},
	}
	ctx := EvalContext{Index: -1,
		Var: func(name string) (any, bool) {
			return map[string]any{"zones": []any{map[string]any{"name": "a"}, map[string]any{"name": "b"}}}[name], name == "zones"
		},
		Attr: func(r *Ref) (any, error) {
			key := r.Addr
			switch {
			case r.Splat:
				key += "[*]"
			case r.Idx >= 0:
				key += "[" + string(rune('0'+r.Idx)) + "]"
			}
			return attrs[key+"."+r.Attr], nil
		}}
	tests := map[string]struct {
		in      string
		want    any
		wantErr string
	}{
		"first private address":               {in: "${web[0].private_ips[0]}", want: "10.0.0.2"},
		"second private address":              {in: "${web[0].private_ips[1]}", want: "10.1.0.2"},
		"field of an element":                 {in: "${web[0].interfaces[0].ip}", want: "10.0.0.2"},
		"map key":                             {in: `${db.parameters["max_connections"]}`, want: "500"},
		"variable":                            {in: `${var.zones[1]["name"]}`, want: "b"},
		"in text":                             {in: "http://${web[0].private_ips[1]}:80", want: "http://10.1.0.2:80"},
		"splat: each element":                 {in: "${web[*].private_ips[0]}", want: []any{"10.0.0.2", "10.0.0.3"}},
		"known after apply":                   {in: "${web[1].private_ips[0]}", want: Unknown{Ref: "${web[1].private_ips}"}},
		"unknown element":                     {in: "${web[2].private_ips[0]}", want: Unknown{Ref: "x"}},
		"known element beside an unknown one": {in: "${web[2].private_ips[1]}", want: "10.1.0.9"},
		"out of range": {in: "${web[0].private_ips[2]}",
			wantErr: "f:4:7: ${web[0].private_ips[2]}: index 2 is out of range: web[0].private_ips has 2 elements"},
		"key into a list": {in: `${web[0].private_ips["a"]}`,
			wantErr: `f:4:7: ${web[0].private_ips["a"]}: web[0].private_ips is a list of 2; index it with a number, such as web[0].private_ips[0]`},
		"index into a map": {in: "${db.parameters[0]}",
			wantErr: `f:4:7: ${db.parameters[0]}: db.parameters is a map; name a key, such as db.parameters["key"]`},
		"missing key": {in: `${db.parameters["nope"]}`,
			wantErr: `f:4:7: ${db.parameters["nope"]}: db.parameters has no key "nope"`},
		"index into text": {in: "${web[0].public_ip[0]}",
			wantErr: "f:4:7: ${web[0].public_ip[0]}: web[0].public_ip is a text, not a list or a map; it cannot be indexed"},
		"index into text, deeper": {in: "${web[0].private_ips[0][1]}",
			wantErr: "f:4:7: ${web[0].private_ips[0][1]}: web[0].private_ips[0] is a text, not a list or a map; it cannot be indexed"},
		"index into nothing": {in: "${web[0].status[0]}",
			wantErr: "f:4:7: ${web[0].status[0]}: web[0].status has no value to index"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tmpl, errs := parseTemplate(tc.in, Pos{File: "f", Line: 4, Col: 7})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			got, err := (&Value{Kind: String, Str: tc.in, Tmpl: tmpl}).Eval(ctx)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v\nwant    %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestValidateSubscripts: what validate knows of an indexed reference
// before anything exists, reported at the reference.
func TestValidateSubscripts(t *testing.T) {
	const base = head + "variables:\n  ips: {default: [10.0.0.5, 10.0.0.6]}\n  pw: {default: 'Secret-pw-1', sensitive: true}\nresources:\n" +
		"  net: {kind: vdc, properties: {name: n}}\n" +
		"  lan: {kind: private_network, properties: {vdc: \"${net.id}\", name: lan, address: 10.0.0.0, mask: 24}}\n" +
		"  web: {kind: instance, count: 2, properties: {vdc: \"${net.id}\", name: \"w-${index}\", instance_type: Standard, cpu: 2, ram: 4, image: Centos_7.6_64, password: \"${var.pw}\", private_ips: [{network: \"${lan.id}\"}]}}\n"
	lb := func(ip string) string {
		return base + "  front:\n    kind: load_balancer\n    properties:\n      vdc: \"${net.id}\"\n      name: f\n      cpu: 2\n      ram: 4\n      network: \"${lan.id}\"\n" +
			"      listeners: [{name: web, mode: http, port: 80, backends: [{ip: \"" + ip + "\", port: 80}]}]\noutputs:\n  o: \"${var.ips}\"\n"
	}
	tests := map[string]struct {
		src  string
		want []string
	}{
		"address of an instance":                          {lb("${web[0].private_ips[0]}"), nil},
		"field of an interface":                           {lb("${web[1].interfaces[0].ip}"), nil},
		"address from a variable":                         {lb("${var.ips[1]}"), nil},
		"variable out of range":                           {lb("${var.ips[2]}"), []string{`s.yaml:19:70: resources.front.properties.listeners[0].backends[0].ip: ${var.ips[2]}: index 2 is out of range: var.ips has 2 elements`}},
		"key into a variable's list":                      {lb(`${var.ips[\"a\"]}`), []string{`s.yaml:19:70: resources.front.properties.listeners[0].backends[0].ip: ${var.ips["a"]}: var.ips is a list of 2; index it with a number, such as var.ips[0]`}},
		"index into a text attribute":                     {lb("${web[0].public_ip[0]}"), []string{`s.yaml:19:70: resources.front.properties.listeners[0].backends[0].ip: ${web[0].public_ip[0]}: web[0].public_ip is a text, not a list or a map; it cannot be indexed`}},
		"key into a list attribute":                       {lb(`${web[0].private_ips[\"x\"]}`), []string{`s.yaml:19:70: resources.front.properties.listeners[0].backends[0].ip: ${web[0].private_ips["x"]}: web[0].private_ips is a list of 1; index it with a number, such as web[0].private_ips[0]`}},
		"index into a literal property":                   {lb("${lan.address[0]}"), []string{`s.yaml:19:70: resources.front.properties.listeners[0].backends[0].ip: ${lan.address[0]}: lan.address is a text, not a list or a map; it cannot be indexed`}},
		"index into a sensitive variable keeps it secret": {lb("${var.pw[0]}"), []string{`s.yaml:19:70: resources.front.properties.listeners[0].backends[0].ip: ${var.pw[0]}: var.pw is a text, not a list or a map; it cannot be indexed`}},
		"count cannot index": {head + "variables:\n  n: {default: [1, 2]}\nresources:\n  net: {kind: vdc, count: \"${var.n[0]}\", properties: {name: n}}\n",
			[]string{`s.yaml:7:27: resources.net.count: count must be known before apply: a number or ${var.name}, not "${var.n[0]}"`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := problems(t, tc.src)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
