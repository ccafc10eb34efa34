"""OpenID Connect provider for integrated applications (single sign-on for staff).

Built on django-oauth-toolkit: discovery at ``/.well-known/openid-configuration``, the
endpoints under ``/o/`` (authorize, token, revoke_token, userinfo, JWKS). Only the
authorization-code flow with PKCE (S256) is accepted; ID tokens are signed RS256 with the key
in KUAIJI_OIDC_KEY_FILE. Only government staff may authorise an application, and those whose
roles call for a second factor prove it before the consent page.

Scopes and the claims they release (ID token and userinfo):

- ``openid``: ``sub`` (the user's stable id);
- ``profile``: ``name`` (display name, else user name) and ``preferred_username``;
- ``kuaiji``: ``department`` (``{"code", "name"}`` of the staff member's department),
  ``roles`` (role codes of the user's grants) and ``region_scope`` (what the grants cover, as
  ``{"kind": "region"|"department"|"grid"|"all", "code", "path"}``).

Registering an application (administrators only):

- console: ``kuaiji oidc-client create --name NAME --redirect-uri URI [--public]`` prints the
  client id and, once, the client secret;
- admin console (``/admin/``, "Django OAuth Toolkit" → Applications → Add): client type
  *confidential* (or *public* for apps that cannot keep a secret), grant type *authorization
  code*, algorithm *RSA with SHA-2 256*, the exact redirect URIs (https; http only outside
  production), and copy the client secret before saving: it is stored hashed.

Modules: ``keys`` (the signing key), ``claims`` (what a user's claims are), ``validator`` (the
django-oauth-toolkit validator), ``services`` (registration and audit), ``views`` (the
authorize endpoint), ``admin`` (the audited admin of applications).
"""
