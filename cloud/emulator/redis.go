package emulator

import "fmt"

func init() {
	rd := func(name string, h handler) { register(svcRedis+"/"+name, h) }
	rd("DescribeRegins", func(*Server, params) (any, string, *apiError) { return regionsView(), "", nil })
	rd("DescribeAvailableDBConfig", func(s *Server, p params) (any, string, *apiError) { return dbConfig(p, "redis", false) })
	rd("CreateDBInstance", (*Server).createRedis)
	rd("DescribeDBInstances", func(s *Server, p params) (any, string, *apiError) { return s.listDatabases(p, "redis", s.redisView) })
	rd("DeleteDBInstance", func(s *Server, p params) (any, string, *apiError) {
		return s.deleteDatabase("DeleteDBInstance", p, "redis")
	})
	rd("DescribeBackups", func(s *Server, p params) (any, string, *apiError) { return s.describeBackups(p, "redis") })
	rd("DownloadBackup", func(s *Server, p params) (any, string, *apiError) { return s.downloadBackup(p, "redis") })
	rd("CreateBackup", func(s *Server, p params) (any, string, *apiError) {
		return s.createBackup("CreateBackup", p, "redis", "physical-backup")
	})
	rd("DeleteBackup", func(s *Server, p params) (any, string, *apiError) { return s.deleteBackup("DeleteBackup", p, "redis") })
}

// redisGoods is the Redis catalogue: 2.8 and 5.0; ha (1), cluster (2) and
// economy (3); 1, 2, 4, 8 and 16 GB. Sizes have no CPU (0), as documented.
var redisGoods = func() []dbGood {
	var out []dbGood
	archs := []struct {
		t         int
		name, sub string
		key       string
	}{{1, "主从", "Redis 主从版", "redis-replication"}, {2, "集群", "Redis 集群版", "redis-cluster"}, {3, "经济型主从", "Redis 经济型主从", "redis-economy"}}
	for vi, v := range []string{"2.8", "5.0"} {
		for _, a := range archs {
			for si, ram := range []int{1, 2, 4, 8, 16} {
				out = append(out, dbGood{Version: v, Listed: v, Arch: a.t, ArchName: a.name, Sub: a.sub, SubKey: a.key, RAM: ram,
					Name: fmt.Sprintf("%dG", ram), ID: 12000 + 100*vi + 10*a.t + si})
			}
		}
	}
	return out
}()

func (s *Server) createRedis(p params) (any, string, *apiError) {
	place, name, g, e := s.newDatabase(p, "redis", "Redis")
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
	port, e := dbPort(p, 9736, 9100, 9121, 9122, 16379)
	if e != nil {
		return nil, "", e
	}
	amount, e := amountParam(p, 3)
	if e != nil {
		return nil, "", e
	}
	db := Database{Product: "redis", Name: name, Port: port, Version: g.Listed, Arch: g.Arch, GoodsID: g.ID, RAM: g.RAM, PasswordHash: hashSecret(pw)}
	ids, task, e := s.createDatabases("CreateDBInstance", db, place, amount)
	if e != nil {
		return nil, "", e
	}
	return map[string]any{"InstancesUuid": ids}, task, nil
}

func (s *Server) redisView(db *Database) map[string]any {
	g, _ := goodByID("redis", db.GoodsID, false)
	v := s.baseView(db, g)
	v["SubProductKey"], v["RoGroups"], v["CloneServices"], v["Tags"] = g.SubKey, nil, nil, []any{}
	return v
}
