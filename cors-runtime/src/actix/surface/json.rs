//! The surface as JSON, schema `route-cors/surface/1` (documented on `Surface::to_json`).

use serde_json::{Value, json};

use super::{Surface, SurfaceRoute, SurfaceScope};
use crate::policy::{Origins, Policy};
use crate::request_headers::AllowHeaders;

fn policy(policy: &Policy) -> Value {
    let origins = match policy.origins() {
        Origins::Any => json!({ "any": true }),
        Origins::Set(_) => json!({ "list": origin_entries(policy) }),
        Origins::Runtime { name, list } => {
            // A per-tenant list: each tenant's entries as they are now.
            let tenants: Option<serde_json::Map<String, Value>> = list.get().is_none().then(|| {
                list.tenants()
                    .into_iter()
                    .map(|t| {
                        let entries = list.tenant(&t).map(|l| l.entries());
                        (t, json!(entries))
                    })
                    .collect()
            });
            json!({ "runtime": name, "entries": origin_entries(policy), "tenants": tenants })
        }
    };
    let allow_headers = match policy.allow_headers() {
        AllowHeaders::Any => json!("*"),
        AllowHeaders::List(list) => json!(list.names),
        _ => json!([]),
    };
    json!({
        "origins": origins,
        "credentials": policy.credentials(),
        "allow_headers": allow_headers,
        "expose_headers": policy.expose_headers(),
        "max_age": policy.max_age(),
        "forward_refused": policy.forward_refused(),
        "insecure_http_credentials": insecure_http_credentials(policy),
    })
}

fn route(r: &SurfaceRoute, lines: bool) -> Value {
    let route = r.route();
    let (file, line) = route.location();
    let mut value = json!({
        "handler": r.handler(),
        "file": file,
        "methods": route.methods(),
        "path": r.path(),
        "pattern": route.path(),
        "guards": route.guard_names().collect::<Vec<_>>(),
        "preflights_skip_guards": route.preflights_skip_guards(),
        "policy": policy(r.policy()),
    });
    if lines {
        value["line"] = json!(line);
    }
    value
}

fn scope(s: &SurfaceScope) -> Value {
    json!({
        "path": s.path(),
        "around": s.around(),
        "policy": s.policy().map(policy),
    })
}

impl Surface {
    /// The surface as JSON (feature `json`). The schema, `route-cors/surface/1`:
    ///
    /// ```text
    /// { "schema": "route-cors/surface/1",
    ///   "routes": [ { "handler": "app::items::get_item", "file": "src/items.rs", "line": 12,
    ///                 "methods": ["GET"], "path": "/api/items/{id}" or null (unknown),
    ///                 "pattern": "/items/{id}", "guards": ["is_json"],
    ///                 "preflights_skip_guards": false, "policy": POLICY } ],
    ///   "scopes": [ { "path": "/api" or null, "around": true, "policy": POLICY or null } ] }
    /// POLICY: { "origins": {"any": true} | {"list": [..]} | {"runtime": "NAME", "entries": [..] or null,
    ///                                                        "tenants": {"acme": [..]} or null},
    ///           "credentials": bool, "allow_headers": "*" | [..], "expose_headers": [..],
    ///           "max_age": seconds or null, "forward_refused": bool,
    ///           "insecure_http_credentials": bool }
    /// ```
    ///
    /// New fields may come in the same schema version; a field's meaning never changes
    /// without a new one. `lines: false` leaves out `line`, which moves with every edit above
    /// a route (what a committed snapshot should not follow).
    pub fn to_json(&self, lines: bool) -> Value {
        json!({
            "schema": "route-cors/surface/1",
            "routes": self.routes.iter().map(|r| route(r, lines)).collect::<Vec<_>>(),
            "scopes": self.scopes.iter().map(scope).collect::<Vec<_>>(),
        })
    }
}

/// Whether a policy with credentials allows a plain `http://` origin off the loopback
/// interface (`insecure_http_credentials`, or such an entry in a run-time list built to allow
/// it): anyone on the network path can read those credentialed responses.
fn insecure_http_credentials(policy: &Policy) -> bool {
    policy.credentials()
        && origin_entries(policy).is_some_and(|entries| {
            entries.iter().any(|entry| {
                entry.strip_prefix("http://").is_some_and(|host| {
                    !(host.starts_with("localhost")
                        || host.starts_with("127.")
                        || host.starts_with("[::1]"))
                })
            })
        })
}

/// The entries of a policy's origins as written (a run-time list's as they are now); `None`
/// for `*` and for a run-time list not set.
fn origin_entries(policy: &Policy) -> Option<Vec<String>> {
    match policy.origins() {
        Origins::Any => None,
        Origins::Set(set) => Some(set.entries()),
        Origins::Runtime { list, .. } => list.get().map(|list| list.entries()),
    }
}
