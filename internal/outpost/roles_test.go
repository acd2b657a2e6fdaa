package outpost

import "testing"

func TestCan(t *testing.T) {
	admin := User{Name: "a", Role: RoleAdmin}
	coord := User{Name: "c", Role: RoleCoordinator}
	manager := User{Name: "m", Role: RoleManager, Mission: "RU"}
	staff := User{Name: "s", Role: RoleStaff, Mission: "RU"}
	press := User{Name: "p", Role: RolePress, Mission: "RU"}
	cases := []struct {
		u       User
		a       Action
		mission string
		want    bool
	}{
		{admin, ReadPeople, "SE", true},
		{admin, ManageUsers, "", true},
		{coord, ReadCensus, "", true},
		{coord, ReadMissions, "SE", true},
		{coord, ReadPeople, "RU", false},
		{coord, ReadPeople, "", false},
		{coord, ReadAudit, "RU", false},
		{manager, ReadPeople, "RU", true},
		{manager, ReadPeople, "SE", false},
		{manager, ReadPeople, "", false},
		{manager, ReadAudit, "RU", true},
		{manager, ReadAudit, "SE", false},
		{manager, ManageUsers, "", false},
		{staff, TrackPeople, "RU", true},
		{staff, TrackPeople, "SE", false},
		{staff, ReadPassports, "RU", true},
		{staff, ReadAudit, "RU", false},
		{press, ReadPeople, "RU", true},
		{press, ReadPassports, "RU", false},
		{press, TrackPeople, "RU", false},
		{press, ReadCensus, "", true},
		{User{Name: "x", Role: RoleStaff}, ReadPeople, "", false},
	}
	for _, c := range cases {
		if got := c.u.Can(c.a, c.mission); got != c.want {
			t.Errorf("%s (%s of %q) may %s for %q: got %v, want %v", c.u.Name, c.u.Role, c.u.Mission, c.a.Name, c.mission, got, c.want)
		}
	}
}

func TestRestrict(t *testing.T) {
	cases := []struct {
		u         User
		a         Action
		requested string
		want      string
		ok        bool
	}{
		{User{Role: RoleAdmin}, ReadPeople, "", "", true},
		{User{Role: RoleAdmin}, ReadPeople, "SE", "SE", true},
		{User{Role: RoleStaff, Mission: "RU"}, ReadPeople, "", "RU", true},
		{User{Role: RoleStaff, Mission: "RU"}, ReadPeople, "RU", "RU", true},
		{User{Role: RoleStaff, Mission: "RU"}, ReadPeople, "SE", "", false},
		{User{Role: RoleStaff, Mission: "RU"}, ReadAudit, "", "RU", false},
		{User{Role: RoleCoordinator}, ReadPeople, "", "", false},
		{User{Role: RoleCoordinator}, ReadMissions, "SE", "SE", true},
	}
	for _, c := range cases {
		got, ok := c.u.Restrict(c.a, c.requested)
		if got != c.want || ok != c.ok {
			t.Errorf("%s of %q restricts %s to %q: got %q, %v; want %q, %v", c.u.Role, c.u.Mission, c.a.Name, c.requested, got, ok, c.want, c.ok)
		}
	}
}

func TestUserValidate(t *testing.T) {
	cases := []struct {
		u    User
		want int
	}{
		{User{Name: "olga.k@ru", Role: RoleStaff, Mission: "RU"}, 0},
		{User{Name: "root", Role: RoleAdmin}, 0},
		{User{Name: "", Role: RoleAdmin}, 1},
		{User{Name: "a b", Role: RoleAdmin}, 1},
		{User{Name: "x", Role: "king"}, 1},
		{User{Name: "x", Role: RolePress}, 1},
		{User{Name: "x", Role: RoleCoordinator, Mission: "RU"}, 1},
	}
	for _, c := range cases {
		if got := len(c.u.Validate()); got != c.want {
			t.Errorf("%+v: got %d problems, want %d", c.u, got, c.want)
		}
	}
	err := (&User{Name: "a b", Role: "king"}).Validate().Err("user a b")
	if ErrorCode(err) != EINVALID || err.Error() != `user a b: name: must be 1 to 64 letters, digits, '.', '_', '-' or '@' (got "a b"); role: must be one of admin, coordinator, manager, staff, press (got "king")` {
		t.Errorf("got %v", err)
	}
}

func TestRestrictPeople(t *testing.T) {
	cases := []struct {
		u         User
		requested string
		mission   string
		ok        bool
		passports bool
	}{
		{User{Role: RoleAdmin}, "", "", true, true},
		{User{Role: RoleAdmin}, "SE", "SE", true, true},
		{User{Role: RoleManager, Mission: "RU"}, "", "RU", true, true},
		{User{Role: RoleStaff, Mission: "RU"}, "RU", "RU", true, true},
		{User{Role: RolePress, Mission: "RU"}, "", "RU", true, false},
		{User{Role: RolePress, Mission: "RU"}, "SE", "", false, false},
		{User{Role: RoleManager, Mission: "RU"}, "SE", "", false, false},
		{User{Role: RoleCoordinator}, "", "", false, false},
	}
	for _, c := range cases {
		f, ok := c.u.RestrictPeople(PeopleFilter{Query: "20", Passports: true}, c.requested)
		if ok != c.ok || f.Mission != c.mission || f.Passports != c.passports || f.Query != "20" {
			t.Errorf("%s of %q asking for %q: got %+v, %v; want mission %q, passports %v, %v",
				c.u.Role, c.u.Mission, c.requested, f, ok, c.mission, c.passports, c.ok)
		}
	}
}
