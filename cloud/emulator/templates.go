package emulator

import (
	"sort"
	"strings"
	"time"
)

func init() {
	register("CreateTemplate", (*Server).createTemplate)
	register("DeleteTemplate", (*Server).deleteTemplate)
	register("SyncTemplate", (*Server).syncTemplate)
	register("DescribeTemplateInfo", (*Server).describeTemplateInfo)
}

// templateInRegion reads the TemplateId and RegionId that DeleteTemplate
// and SyncTemplate both take.
func (s *Server) templateInRegion(p params) (*Template, string, *apiError) {
	t, e := lookup(p, "TemplateId", s.world.Templates, "InvalidTemplateId.Malformed", notFoundAs("InvalidTemplateId.NotFound", "template"))
	if e != nil {
		return nil, "", e
	}
	region, e := regionParam(p)
	if e != nil {
		return nil, "", e
	}
	return t, region, nil
}

func (s *Server) createTemplate(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	name, e := p.need("DisplayName")
	if e != nil {
		return nil, "", e
	}
	if !validName(name) {
		return nil, "", errMalformed("InvalidTemplateName.Malformed", "DisplayName")
	}
	powerOn, ok, e := p.integer("PowerOn")
	if e != nil || !ok || (powerOn != 0 && powerOn != 1) {
		return nil, "", errMalformed("InvalidParameter.PowerOn", "PowerOn")
	}
	if s.opts.Arrears {
		return nil, "", errorf(400, "NotEnoughBalance", "Your account does not have enough balance.")
	}
	now := s.now()
	t := &Template{ID: s.world.newID(), Name: name, InstanceID: in.ID, OSType: osType(in.ImageID),
		Regions: map[string]string{in.Region: "creating"}, Created: now}
	prev := in.Status
	task := s.newTask("CreateTemplate",
		Target{Kind: "template", ID: t.ID, Op: opCreate, Region: in.Region},
		Target{Kind: "instance", ID: in.ID, Op: opUpdate})
	markBusy(&in.Busy, statusUpdating, prev)
	s.world.Templates[t.ID] = t
	s.world.touch("template", t.ID)
	s.world.touch("instance", in.ID)
	s.world.ledgerOpen(&LedgerEntry{ResourceID: t.ID, Name: name, Type: "template", Region: in.Region,
		HourlyPrice: pricePerTemplHour, Config: "模板:" + t.OSType, Created: now})
	return nil, task.ID, nil
}

func (s *Server) deleteTemplate(p params) (any, string, *apiError) {
	t, region, e := s.templateInRegion(p)
	if e != nil {
		return nil, "", e
	}
	status, ok := t.Regions[region]
	if !ok {
		return nil, "", errorf(400, "InvalidRegionId.NotFound", "Template %s has no copy in %s.", t.ID, region)
	}
	if status != "normal" {
		return nil, "", errorf(403, "IncorrectTemplateStatus", "Template %s is %s in %s.", t.ID, status, region)
	}
	for _, in := range s.world.Instances {
		if in.ImageID == t.ID && in.Region == region {
			return nil, "", errorf(403, "IncorrectTemplateStatus", "Template %s is the image of instance %s in %s.", t.ID, in.ID, region)
		}
	}
	t.Regions[region] = "deleting"
	s.world.touch("template", t.ID)
	return nil, s.newTask("DeleteTemplate", Target{Kind: "template", ID: t.ID, Op: opDelete, Region: region}).ID, nil
}

func (s *Server) syncTemplate(p params) (any, string, *apiError) {
	t, region, e := s.templateInRegion(p)
	if e != nil {
		return nil, "", e
	}
	if status, ok := t.Regions[region]; ok {
		return nil, "", errorf(403, "IncorrectTemplateStatus", "Template %s is already %s in %s.", t.ID, status, region)
	}
	ready := false
	for _, st := range t.Regions {
		ready = ready || st == "normal"
	}
	if !ready {
		return nil, "", errorf(403, "IncorrectTemplateStatus", "Template %s is not ready in any region yet.", t.ID)
	}
	t.Regions[region] = "syncing"
	s.world.touch("template", t.ID)
	return nil, s.newTask("SyncTemplate", Target{Kind: "template", ID: t.ID, Op: opCreate, Region: region}).ID, nil
}

func templateOf(t *Template) templateView {
	v := templateView{TemplateID: t.ID, Name: t.Name, OSType: t.OSType, Count: len(t.Regions),
		CreateTime: t.Created.In(beijing).Format(monitorTimeFormat), Status: "normal", Region: []templateRegionView{}}
	regions := make([]string, 0, len(t.Regions))
	for r := range t.Regions {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	for _, r := range regions {
		v.Region = append(v.Region, templateRegionView{RegionID: r, RegionName: Regions[r], Status: t.Regions[r]})
		if t.Regions[r] == "creating" {
			v.Status = "creating"
		}
	}
	return v
}

// publicTemplates are appendix 4's images as DescribeTemplateInfo lists them.
var publicTemplates = func() []templateView {
	regions := make([]string, 0, len(Regions))
	for r := range Regions {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	var out []templateView
	for _, img := range PublicImages {
		t := templateView{TemplateID: img, Name: img, Status: "normal", OSType: osType(img), Count: len(regions),
			CreateTime: "2019-01-01 00:00:00"}
		for _, r := range regions {
			t.Region = append(t.Region, templateRegionView{RegionID: r, RegionName: Regions[r], Status: "normal"})
		}
		out = append(out, t)
	}
	return out
}()

func (s *Server) describeTemplateInfo(p params) (any, string, *apiError) {
	for _, k := range []string{"PageNumber", "PageSize"} {
		if !p.has(k) {
			return nil, "", errIncomplete(k)
		}
	}
	number, size, e := p.page(10)
	if e != nil {
		return nil, "", e
	}
	keyword := p.str("Keyword")
	var custom []*Template
	for _, t := range s.world.Templates {
		custom = append(custom, t)
	}
	sortByCreated(custom, func(t *Template) (time.Time, string) { return t.Created, t.ID })
	var all []templateView
	for _, t := range custom {
		all = append(all, templateOf(t))
	}
	all = append(all, publicTemplates...)
	var list []templateView
	for _, t := range all {
		if keyword == "" || strings.Contains(t.Name, keyword) || strings.Contains(t.OSType, keyword) {
			list = append(list, t)
		}
	}
	lo, hi, pages := paginate(len(list), number, size)
	out := templateList{TotalPage: pages, TemplateList: []templateView{}}
	out.TemplateList = append(out.TemplateList, list[lo:hi]...)
	return out, "", nil
}
