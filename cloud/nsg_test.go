package cloud

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeNSGRuleShapes: the forms a rule's fields may take decode alike:
// the documented ones (string Action, integer Direction, lists) and the
// old API's (text direction, ";"-joined addresses).
func TestDecodeNSGRuleShapes(t *testing.T) {
	want := NSGRule{Action: "ACCEPT", Direction: NSGOutbound, IPList: Strs{"10.0.0.0/8", "1.1.1.1"}, PortList: Strs{"22", "80"}, Priority: 5}
	for name, in := range map[string]string{
		"documented":     `{"Action":"ACCEPT","Direction":1,"IpList":["10.0.0.0/8","1.1.1.1"],"PortList":["22","80"],"Priority":5}`,
		"text direction": `{"Action":"ACCEPT","Direction":"1","IpList":["10.0.0.0/8","1.1.1.1"],"PortList":[22,80],"Priority":"5"}`,
		"word, joined":   `{"Action":"ACCEPT","Direction":"out","IpList":"10.0.0.0/8;1.1.1.1","PortList":"22,80","Priority":5}`,
		"egress, spaces": `{"Action":"ACCEPT","Direction":"egress","IpList":" 10.0.0.0/8 ; 1.1.1.1 ","PortList":["22", "80"],"Priority":5}`,
	} {
		t.Run(name, func(t *testing.T) {
			var got NSGRule
			if err := json.Unmarshal([]byte(in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	var r NSGRule
	if err := json.Unmarshal([]byte(`{"Direction":"sideways"}`), &r); err == nil {
		t.Error("Direction sideways decoded without error")
	}
	if err := json.Unmarshal([]byte(`{"IpList":{"a":1}}`), &r); err == nil {
		t.Error("IpList object decoded without error")
	}
}
