package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/vmtproject/vmt"
)

// Health returns nil when the server and its store answer.
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, http.MethodGet, "/health", nil, nil, nil)
}

// Me returns the user the client's token stands for; EUNAUTHENTICATED
// without a valid token.
func (c *Client) Me(ctx context.Context) (*vmt.User, error) {
	return get[vmt.User](ctx, c, "/me")
}

// StatusTable is the answer of GET /api/v1/statuses: the statuses in the
// order of the process and the table of allowed moves.
type StatusTable struct {
	Statuses    []vmt.StatusInfo `json:"statuses"`
	Transitions []TransitionInfo `json:"transitions"`
}

// TransitionInfo is one allowed move, with the names of its guards. It has
// the JSON shape of the server's transitionDoc.
type TransitionInfo struct {
	From        vmt.Status `json:"from"`
	To          vmt.Status `json:"to"`
	Guards      []string   `json:"guards"`
	MakesPublic bool       `json:"makes_public"`
	Why         string     `json:"why"`
}

// Statuses returns the statuses and the transition table the server enforces.
func (c *Client) Statuses(ctx context.Context) (*StatusTable, error) {
	return get[StatusTable](ctx, c, "/statuses")
}

// Classes returns the classification taxonomy.
func (c *Client) Classes(ctx context.Context) ([]vmt.ClassInfo, error) {
	return items[vmt.ClassInfo](ctx, c, "/classes", nil)
}

// AuditEvents returns up to limit events of the whole audit log after
// sequence number afterSeq (0: from the start). Administrators only.
func (c *Client) AuditEvents(ctx context.Context, afterSeq int64, limit int) ([]*vmt.AuditEvent, error) {
	q := url.Values{}
	if afterSeq != 0 {
		q.Set("after", strconv.FormatInt(afterSeq, 10))
	}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return items[*vmt.AuditEvent](ctx, c, "/audit", q)
}

// Users lists every user. Administrators only.
func (c *Client) Users(ctx context.Context) ([]*vmt.User, error) {
	return items[*vmt.User](ctx, c, "/users", nil)
}

// UserByEmail finds the account of an address (the VMT and
// administrators); ENOTFOUND when there is none.
func (c *Client) UserByEmail(ctx context.Context, email string) (*vmt.User, error) {
	us, err := items[*vmt.User](ctx, c, "/users", url.Values{"email": {email}})
	if err != nil {
		return nil, err
	}
	if len(us) != 1 {
		return nil, vmt.NotFound("user")
	}
	return us[0], nil
}

// CreateUser adds a user; ECONFLICT when the email is taken.
func (c *Client) CreateUser(ctx context.Context, in vmt.UserInput) (*vmt.User, error) {
	return send[vmt.User](ctx, c, http.MethodPost, "/users", in)
}

// Invitation is the answer of POST /api/v1/users/invite: the account
// and the link mailed to it, without its secret (only the mail has it).
type Invitation struct {
	User *vmt.User        `json:"user"`
	Link *vmt.AccountLink `json:"link"`
}

// InviteUser makes an account and mails it a one-time link that proves
// the address and sets a first password. Administrators only.
func (c *Client) InviteUser(ctx context.Context, in vmt.UserInput) (*Invitation, error) {
	return send[Invitation](ctx, c, http.MethodPost, "/users/invite", in)
}

// User returns one user, to an administrator or to the user themselves.
func (c *Client) User(ctx context.Context, userID int64) (*vmt.User, error) {
	return get[vmt.User](ctx, c, userPath(userID, ""))
}

// UpdateUser changes the fields p sets.
func (c *Client) UpdateUser(ctx context.Context, userID int64, p vmt.UserPatch) (*vmt.User, error) {
	return send[vmt.User](ctx, c, http.MethodPatch, userPath(userID, ""), p)
}

// Tokens lists a user's API tokens, without their secrets.
func (c *Client) Tokens(ctx context.Context, userID int64) ([]*vmt.Token, error) {
	return items[*vmt.Token](ctx, c, userPath(userID, "/tokens"), nil)
}

// CreateToken makes an API token for a user. The answer holds the secret,
// which the server shows this once.
func (c *Client) CreateToken(ctx context.Context, userID int64, name string) (*vmt.NewToken, error) {
	in := struct {
		Name string `json:"name"`
	}{name}
	return send[vmt.NewToken](ctx, c, http.MethodPost, userPath(userID, "/tokens"), in)
}

// DeleteToken revokes one of a user's tokens.
func (c *Client) DeleteToken(ctx context.Context, userID, tokenID int64) error {
	return c.del(ctx, userPath(userID, "/tokens/"+id(tokenID)))
}

// Projects lists every project.
func (c *Client) Projects(ctx context.Context) ([]*vmt.Project, error) {
	return items[*vmt.Project](ctx, c, "/projects", nil)
}

// CreateProject adds a project. Administrators only.
func (c *Client) CreateProject(ctx context.Context, p vmt.Project) (*vmt.Project, error) {
	return send[vmt.Project](ctx, c, http.MethodPost, "/projects", p)
}

// Project returns a project by name.
func (c *Client) Project(ctx context.Context, name string) (*vmt.Project, error) {
	return get[vmt.Project](ctx, c, projectPath(name, ""))
}

// UpdateProject changes the fields pp sets. Administrators only.
func (c *Client) UpdateProject(ctx context.Context, name string, pp vmt.ProjectPatch) (*vmt.Project, error) {
	return send[vmt.Project](ctx, c, http.MethodPatch, projectPath(name, ""), pp)
}

// Members lists the members of a project.
func (c *Client) Members(ctx context.Context, name string) ([]vmt.Member, error) {
	return items[vmt.Member](ctx, c, projectPath(name, "/members"), nil)
}

// SetMember gives a user a role in a project. Administrators only.
func (c *Client) SetMember(ctx context.Context, name string, userID int64, role vmt.MemberRole) (*vmt.Member, error) {
	in := struct {
		Role vmt.MemberRole `json:"role"`
	}{role}
	return send[vmt.Member](ctx, c, http.MethodPut, projectPath(name, "/members/"+id(userID)), in)
}

// RemoveMember takes a user out of a project. Administrators only.
func (c *Client) RemoveMember(ctx context.Context, name string, userID int64) error {
	return c.del(ctx, projectPath(name, "/members/"+id(userID)))
}

// SendEmailProof mails the caller a new link that proves their address
// (POST /api/v1/me/email-proof). ECONFLICT when it is proven already or a
// link was just sent.
func (c *Client) SendEmailProof(ctx context.Context) (*vmt.EmailProof, error) {
	return send[vmt.EmailProof](ctx, c, http.MethodPost, "/me/email-proof", nil)
}

// ConfirmEmailProof proves the caller's address with the token of a
// mailed link and returns the caller's account; EINVALID on "token" when
// the link is refused.
func (c *Client) ConfirmEmailProof(ctx context.Context, token string) (*vmt.User, error) {
	return send[vmt.User](ctx, c, http.MethodPost, "/me/email-proof/confirm", map[string]string{"token": token})
}

// ForgeLogins are the GitHub logins of an account (GET and PUT
// /api/v1/me/github-login): Login is the first.
type ForgeLogins struct {
	Login  string   `json:"github_login"`
	Logins []string `json:"github_logins"`
}

// OwnForgeLogins returns the GitHub logins of the caller's account.
func (c *Client) OwnForgeLogins(ctx context.Context) (*ForgeLogins, error) {
	return send[ForgeLogins](ctx, c, http.MethodGet, "/me/github-login", nil)
}

// SetOwnForgeLogin makes login the GitHub login of the caller's account
// ("" takes it off); ECONFLICT when another account has it.
func (c *Client) SetOwnForgeLogin(ctx context.Context, login string) (*ForgeLogins, error) {
	return send[ForgeLogins](ctx, c, http.MethodPut, "/me/github-login", map[string]string{"github_login": login})
}

// SetForgeLogin makes login the GitHub login of account userID (its
// owner or an administrator).
func (c *Client) SetForgeLogin(ctx context.Context, userID int64, login string) (*ForgeLogins, error) {
	return send[ForgeLogins](ctx, c, http.MethodPut, "/users/"+id(userID)+"/github-login", map[string]string{"github_login": login})
}
