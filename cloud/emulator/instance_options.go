package emulator

import (
	"encoding/base64"
	"strings"
)

func init() {
	register("ModifyInstanceAttribute", (*Server).modifyInstanceAttribute)
}

// instanceOptions are the CreateInstance (and, but for the last two,
// ResetImage) options of the current documents: cloud-init user data (a
// list of base64 strings), an OpenSSH public key, deletion protection and
// a dedicated host.
type instanceOptions struct {
	userData           []string
	publicKey          string
	deletionProtection bool
	dedicatedHost      string
}

// parseInstanceOptions checks what the documents say of each option.
func parseInstanceOptions(p params) (instanceOptions, *apiError) {
	var o instanceOptions
	data, e := p.strings("UserData")
	if e != nil {
		return o, e
	}
	for _, d := range data {
		if _, err := base64.StdEncoding.DecodeString(d); err != nil {
			return o, errorf(400, "InvalidParameter.UserData", "UserData must be a list of base64 strings.")
		}
	}
	o.userData = data
	if k := p.str("PublicKey"); k != "" {
		if f := strings.Fields(k); len(f) < 2 || !strings.HasPrefix(f[0], "ssh-") && !strings.HasPrefix(f[0], "ecdsa-") {
			return o, errMalformed("InvalidParameter.PublicKey", "PublicKey")
		}
		o.publicKey = k
	}
	switch v := p["DeletionProtection"].(type) {
	case nil:
	case bool:
		o.deletionProtection = v
	default:
		return o, errMalformed("InvalidParameter.DeletionProtection", "DeletionProtection")
	}
	if h := p.str("DedicatedHostId"); h != "" {
		if !validID(h) {
			return o, errMalformed("InvalidParameter.DedicatedHostId", "DedicatedHostId")
		}
		o.dedicatedHost = h
	}
	return o, nil
}

// modifyInstanceAttribute turns deletion protection on or off at once.
func (s *Server) modifyInstanceAttribute(p params) (any, string, *apiError) {
	ids, e := p.strings("InstanceIds")
	if e != nil {
		return nil, "", e
	}
	if len(ids) == 0 {
		return nil, "", errIncomplete("InstanceIds")
	}
	on, ok := p["DeletionProtection"].(bool)
	if !ok {
		return nil, "", errIncomplete("DeletionProtection")
	}
	var list []*Instance
	for _, id := range ids {
		in, e := lookup(params{"InstanceId": id}, "InstanceId", s.world.Instances, "InvalidInstanceID.Malformed", errInstanceNotFound)
		if e != nil {
			return nil, "", e
		}
		list = append(list, in)
	}
	for _, in := range list {
		in.DeletionProtection = on
		s.world.touch("instance", in.ID)
	}
	return nil, "", nil
}

// errDeletionProtected refuses to delete a protected instance.
func errDeletionProtected(id string) *apiError {
	return errorf(403, "OperationDenied.DeletionProtection", "Instance %s has deletion protection on: turn it off (ModifyInstanceAttribute) first.", id)
}
