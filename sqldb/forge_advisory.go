package sqldb

import (
	"strings"

	"github.com/vmtproject/vmt"
)

const forgeAdvisoryCols = `report_id, project_id, ghsa_id, login, url, linked_at`

func scanForgeAdvisory(s scanner) (*vmt.ForgeAdvisoryLink, error) {
	l := &vmt.ForgeAdvisoryLink{}
	err := s.Scan(&l.ReportID, &l.ProjectID, &l.GHSA, &l.Login, &l.URL, timeCol{&l.LinkedAt})
	return l, err
}

// ForgeAdvisoryLink returns the repository advisory of a report;
// ENOTFOUND if it has none.
func (t *tx) ForgeAdvisoryLink(reportID int64) (*vmt.ForgeAdvisoryLink, error) {
	l, err := scanForgeAdvisory(t.queryRow(`SELECT `+forgeAdvisoryCols+` FROM forge_advisories WHERE report_id = $1`, reportID))
	if err := one("get forge advisory", "forge advisory", err); err != nil {
		return nil, err
	}
	return l, nil
}

// ForgeAdvisoryByGHSA returns the report a project's repository advisory
// is followed in; ENOTFOUND if none.
func (t *tx) ForgeAdvisoryByGHSA(projectID int64, ghsa string) (*vmt.ForgeAdvisoryLink, error) {
	l, err := scanForgeAdvisory(t.queryRow(`SELECT `+forgeAdvisoryCols+` FROM forge_advisories
		WHERE project_id = $1 AND ghsa_id = $2`, projectID, ghsa))
	if err := one("get forge advisory", "forge advisory", err); err != nil {
		return nil, err
	}
	return l, nil
}

// AddForgeAdvisoryLink stores l; ECONFLICT when the report has an
// advisory or the advisory a report (the unique keys decide, also between
// two transactions).
func (t *tx) AddForgeAdvisoryLink(l *vmt.ForgeAdvisoryLink) error {
	_, err := t.insert("add forge advisory",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "ghsa_id", Message: "the report or the advisory is linked already"},
		`INSERT INTO forge_advisories (`+forgeAdvisoryCols+`) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING report_id`,
		l.ReportID, l.ProjectID, l.GHSA, l.Login, l.URL, micros(l.LinkedAt))
	return err
}

// ForgeLoginUser returns the account a GitHub login is linked to;
// ENOTFOUND if none. Logins are compared without regard to case.
func (t *tx) ForgeLoginUser(login string) (int64, error) {
	var id int64
	err := t.queryRow(`SELECT user_id FROM forge_logins WHERE login = $1`, strings.ToLower(login)).Scan(&id)
	if err := one("get forge login", "forge login", err); err != nil {
		return 0, err
	}
	return id, nil
}

// SetForgeLogin links a GitHub login to an account; ECONFLICT if the
// login is linked already.
func (t *tx) SetForgeLogin(login string, userID int64) error {
	_, err := t.insert("set forge login",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "login", Message: "this GitHub login is linked to an account already"},
		`INSERT INTO forge_logins (login, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id`,
		strings.ToLower(login), userID)
	return err
}

// UserForgeLogins returns the logins linked to an account.
func (t *tx) UserForgeLogins(userID int64) ([]string, error) {
	rows, err := t.query(`SELECT login FROM forge_logins WHERE user_id = $1 ORDER BY login`, userID)
	if err != nil {
		return nil, wrap("list forge logins", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, wrap("list forge logins", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list forge logins", err)
	}
	return out, nil
}

// SetUserForgeLogin makes login the account's only linked login.
func (t *tx) SetUserForgeLogin(userID int64, login string) error {
	login = strings.ToLower(login)
	if login != "" {
		if id, err := t.ForgeLoginUser(login); err == nil && id != userID {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "github_login", Message: "this GitHub login is linked to another account"}
		} else if err != nil && vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
	}
	if _, err := t.exec(`DELETE FROM forge_logins WHERE user_id = $1 AND login <> $2`, userID, login); err != nil {
		return wrap("set forge login", err)
	}
	if login == "" {
		return nil
	}
	if _, err := t.exec(`INSERT INTO forge_logins (login, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, login, userID); err != nil {
		return wrap("set forge login", err)
	}
	if id, err := t.ForgeLoginUser(login); err != nil || id != userID {
		if err == nil {
			err = &vmt.Error{Code: vmt.ECONFLICT, Field: "github_login", Message: "this GitHub login is linked to another account"}
		}
		return err
	}
	return nil
}
