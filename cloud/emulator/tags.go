package emulator

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

func init() {
	register("DescribeTags", (*Server).describeTags)
	register("CreateTag", (*Server).createTag)
	register("DeleteTag", (*Server).deleteTag)
	register("AddInstancesTags", (*Server).addInstancesTags)
	register("DeleteInstancesTags", (*Server).deleteInstancesTags)
}

// maxTagsPerInstance is how many tags one instance carries (the documents
// allow 20 LabelNames at once).
const maxTagsPerInstance = 20

// describeTags lists the account's tags; the documents show TagId as a
// number here.
func (s *Server) describeTags(params) (any, string, *apiError) {
	type tag struct {
		TagID   int    `json:"TagId"`
		TagName string `json:"TagName"`
	}
	out := []tag{}
	for _, t := range s.world.Tags {
		n, _ := strconv.Atoi(t.ID)
		out = append(out, tag{n, t.Name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TagID < out[j].TagID })
	return out, "", nil
}

func validTagName(name string) bool {
	return name != "" && utf8.RuneCountInString(name) <= 64 && !strings.ContainsAny(name, ",")
}

// tagNamed returns the tag called name, or nil.
func (w *World) tagNamed(name string) *Tag {
	for _, t := range w.Tags {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// newTag creates a tag with the next number.
func (s *Server) newTag(name string) *Tag {
	w := s.world
	w.tagSeq++
	t := &Tag{ID: strconv.Itoa(w.tagSeq), Name: name, Created: s.now()}
	w.Tags[t.ID] = t
	w.touch("tag", t.ID)
	return t
}

func (s *Server) createTag(p params) (any, string, *apiError) {
	name, e := p.need("TagName")
	if e != nil {
		return nil, "", e
	}
	if !validTagName(name) {
		return nil, "", errMalformed("InvalidTagName.Malformed", "TagName")
	}
	if s.world.tagNamed(name) != nil {
		return nil, "", errorf(400, "InvalidTagName.Duplicated", "A tag named %q already exists.", name)
	}
	s.newTag(name)
	return nil, "", nil
}

func (s *Server) deleteTag(p params) (any, string, *apiError) {
	id, e := p.need("TagId")
	if e != nil {
		return nil, "", e
	}
	if _, ok := s.world.Tags[id]; !ok {
		return nil, "", errorf(400, "InvalidTagId.NotFound", "The specified tag %s does not exist.", id)
	}
	var users []string
	for _, in := range s.world.instancesInVdc("") {
		if slices.Contains(in.Tags, id) {
			users = append(users, in.ID)
		}
	}
	if len(users) > 0 {
		// The documents' code and message for a tag in use.
		return nil, "", errorf(400, "20101", "当前有云主机 %s 正在使用标签", strings.Join(users, ","))
	}
	delete(s.world.Tags, id)
	s.world.touch("tag", id)
	return nil, "", nil
}

// taggedInstances reads InstanceIds and the tag ids of key, all of which
// must exist; instances must not be being created or deleted.
func (s *Server) taggedInstances(p params, key string) ([]*Instance, []string, *apiError) {
	ids, e := idList(p, "InstanceIds")
	if e != nil {
		return nil, nil, e
	}
	if len(ids) == 0 {
		return nil, nil, errIncomplete("InstanceIds")
	}
	tags, e := idList(p, key)
	if e != nil {
		return nil, nil, e
	}
	for _, t := range tags {
		if s.world.Tags[t] == nil {
			return nil, nil, errorf(400, "InvalidTagId.NotFound", "The specified tag %s does not exist.", t)
		}
	}
	var list []*Instance
	for _, id := range ids {
		in, e := lookup(params{"InstanceId": id}, "InstanceId", s.world.Instances, "InvalidInstanceID.Malformed", errInstanceNotFound)
		if e != nil {
			return nil, nil, e
		}
		if in.Status == statusCreating || in.Status == statusDeleting {
			return nil, nil, errInstanceBusy(in.ID, in.Status)
		}
		list = append(list, in)
	}
	return list, tags, nil
}

func (s *Server) addInstancesTags(p params) (any, string, *apiError) {
	list, tags, e := s.taggedInstances(p, "AddTagIds")
	if e != nil {
		return nil, "", e
	}
	for _, in := range list {
		n := len(in.Tags)
		for _, t := range tags {
			if !slices.Contains(in.Tags, t) {
				n++
			}
		}
		if n > maxTagsPerInstance {
			return nil, "", errorf(400, "InvalidParameter.TagCount", "Instance %s would carry %d tags; at most %d.", in.ID, n, maxTagsPerInstance)
		}
	}
	for _, in := range list {
		for _, t := range tags {
			if !slices.Contains(in.Tags, t) {
				in.Tags = append(in.Tags, t)
			}
		}
		s.world.touch("instance", in.ID)
	}
	return nil, "", nil
}

func (s *Server) deleteInstancesTags(p params) (any, string, *apiError) {
	list, tags, e := s.taggedInstances(p, "DelTagIds")
	if e != nil {
		return nil, "", e
	}
	for _, in := range list {
		in.Tags = slices.DeleteFunc(in.Tags, func(t string) bool { return slices.Contains(tags, t) })
		s.world.touch("instance", in.ID)
	}
	return nil, "", nil
}

// labelTags resolves CreateInstance's LabelNames to tag ids, creating the
// tags that do not exist yet, as the documents say.
func (s *Server) labelTags(p params) ([]string, *apiError) {
	names, e := p.strings("LabelNames")
	if e != nil {
		return nil, e
	}
	if len(names) > maxTagsPerInstance {
		return nil, errorf(400, "InvalidParameter.TagCount", "At most %d LabelNames at once.", maxTagsPerInstance)
	}
	for _, n := range names {
		if !validTagName(n) {
			return nil, errMalformed("InvalidTagName.Malformed", "LabelNames")
		}
	}
	var ids []string
	for _, n := range names {
		t := s.world.tagNamed(n)
		if t == nil {
			t = s.newTag(n)
		}
		if !slices.Contains(ids, t.ID) {
			ids = append(ids, t.ID)
		}
	}
	return ids, nil
}
