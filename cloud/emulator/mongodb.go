package emulator

import (
	"fmt"
)

func init() {
	for _, svc := range []string{svcMongoDB, svcMongoDBOld} {
		newer := svc == svcMongoDB
		mg := func(name string, h handler) { register(svc+"/"+name, h) }
		mg("DescribeZones", func(*Server, params) (any, string, *apiError) {
			out := []any{}
			for _, r := range dbRegions {
				out = append(out, map[string]any{"RegionId": r.ID})
			}
			return out, "", nil
		})
		mg("DescribeSpecInfo", func(s *Server, p params) (any, string, *apiError) { return dbConfig(p, "mongodb", true) })
		mg("CreateDBInstance", func(s *Server, p params) (any, string, *apiError) { return s.createMongoDB(p, newer) })
		mg("DescribeDBInstances", func(s *Server, p params) (any, string, *apiError) {
			return s.listDatabases(p, "mongodb", s.mongoView)
		})
		mg("DeleteDBInstance", func(s *Server, p params) (any, string, *apiError) {
			return s.deleteDatabase("DeleteDBInstance", p, "mongodb")
		})
	}
	register(svcMongoDB+"/ModifyDBInstanceSpec", (*Server).modifyMongoSpec)
}

// mongoGoods is the MongoDB catalogue: 3.4.21 and 4.0 (listed as 4.0.3),
// a replica set of 1C2G–8C32G.
var mongoGoods = func() []dbGood {
	var out []dbGood
	sizes := [][2]int{{1, 2}, {2, 4}, {4, 8}, {8, 16}, {8, 24}, {8, 32}}
	for vi, v := range [][2]string{{"3.4.21", "3.4.21"}, {"4.0", "4.0.3"}} {
		for si, sz := range sizes {
			out = append(out, dbGood{Version: v[0], Listed: v[1], Arch: 0, ArchName: "副本集", Sub: "MongoDB 副本集版", SubKey: "mongodb-replica-set",
				CPU: sz[0], RAM: sz[1], Name: fmt.Sprintf("%dC%dG", sz[0], sz[1]), ID: 7292 + 100*vi + 3*si})
		}
	}
	return out
}()

// createMongoDB creates one database; the newer path answers its id
// (InstanceUuid), the older an empty Data.
func (s *Server) createMongoDB(p params, newer bool) (any, string, *apiError) {
	place, name, g, e := s.newDatabase(p, "mongodb", "MongoDB")
	if e != nil {
		return nil, "", e
	}
	if v := p.str("Version"); v != "" && v != g.Listed && v != g.Version {
		return nil, "", errorf(400, "InvalidParameter", "Version %q is not the version of PaasGoodsId %d (%s).", v, g.ID, g.Listed)
	}
	diskType, size, e := dbDiskParams(p)
	if e != nil {
		return nil, "", e
	}
	pw, e := p.need("Password")
	if e != nil {
		return nil, "", e
	}
	if e := checkPassword("Password", pw); e != nil {
		return nil, "", e
	}
	db := Database{Product: "mongodb", Name: name, Port: 27017, Version: g.Listed, GoodsID: g.ID, CPU: g.CPU, RAM: g.RAM,
		DiskType: diskType, DiskSize: size, PasswordHash: hashSecret(pw)}
	ids, task, e := s.createDatabases("CreateDBInstance", db, place, 1)
	if e != nil {
		return nil, "", e
	}
	if !newer {
		return map[string]any{}, task, nil
	}
	return map[string]any{"InstanceUuid": ids[0]}, task, nil
}

func (s *Server) mongoView(db *Database) map[string]any {
	g, _ := goodByID("mongodb", db.GoodsID, false)
	v := s.baseView(db, g)
	v["CloneServices"] = nil
	return v
}

// modifyMongoSpec resizes: PaasGoodsId a size of the same version,
// DiskValue the new size (it only grows).
func (s *Server) modifyMongoSpec(p params) (any, string, *apiError) {
	db, e := s.database(p, "mongodb")
	if e != nil {
		return nil, "", e
	}
	if e := idleDB(db); e != nil {
		return nil, "", e
	}
	cur, _ := goodByID("mongodb", db.GoodsID, false)
	goods := db.GoodsID
	if p.has("PaasGoodsId") {
		id, e := goodsParam(p)
		if e != nil {
			return nil, "", e
		}
		g, ok := goodByID("mongodb", id, false)
		if !ok || g.Version != cur.Version {
			return nil, "", errorf(400, "InvalidParameter", "PaasGoodsId %d is not a MongoDB %s size.", id, cur.Version)
		}
		goods = id
	}
	size := db.DiskSize
	if p.has("DiskValue") {
		n, _, e := p.integer("DiskValue")
		if e != nil {
			return nil, "", e
		}
		d, _ := dbDiskOf(db.DiskType)
		if t := p.str("DiskType"); t != "" && t != db.DiskType {
			return nil, "", errorf(400, "InvalidParameter", "DiskType %q: database %s has %s disks.", t, db.ID, db.DiskType)
		}
		if n < db.DiskSize || n > d.Max || (n-d.Min)%d.Step != 0 {
			return nil, "", errorf(400, "InvalidParameter", "DiskValue %d: the disk only grows, up to %d GB in steps of %d (now %d GB).", n, d.Max, d.Step, db.DiskSize)
		}
		size = n
	}
	if goods == db.GoodsID && size == db.DiskSize {
		return nil, "", errorf(400, "InvalidParameter", "Nothing to change: give another PaasGoodsId or a larger DiskValue.")
	}
	markBusy(&db.Busy, dbModifying, dbRunning)
	task := s.newTask("ModifyDBInstanceSpec", Target{Kind: "database", ID: db.ID, Op: opUpdate})
	if !task.Fail {
		g, _ := goodByID("mongodb", goods, false)
		db.GoodsID, db.CPU, db.RAM, db.DiskSize = g.ID, g.CPU, g.RAM, size
	}
	s.world.touch("database", db.ID)
	return map[string]any{"InstanceUuid": db.ID}, task.ID, nil
}
