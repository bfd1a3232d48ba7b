//! The tenant a request names: [`TenantKey`], what the matcher asks a request for, and the
//! normalisation of a host into the key a per-host list is set under, without allocating.

use super::Tenancy;

/// What a request carries that names its tenant, for a per-tenant [`RuntimeOrigins`]
/// (`per_host`, `per_path_param`). Implemented for actix-web's requests (feature `actix`).
///
/// [`RuntimeOrigins`]: super::RuntimeOrigins
pub trait TenantKey {
    /// The request's `Host` header, or its URI's authority (HTTP/2), as sent.
    fn host(&self) -> Option<&[u8]>;
    /// The value of the path parameter `name` of the route the request matched.
    fn path_param(&self, name: &str) -> Option<&str>;
}

/// No request: no tenant.
pub(super) struct NoRequest;

impl TenantKey for NoRequest {
    fn host(&self) -> Option<&[u8]> {
        None
    }
    fn path_param(&self, _: &str) -> Option<&str> {
        None
    }
}

#[cfg(feature = "actix")]
impl TenantKey for actix_web::HttpRequest {
    fn host(&self) -> Option<&[u8]> {
        match self.headers().get(actix_web::http::header::HOST) {
            Some(host) => Some(host.as_bytes()),
            None => self.uri().authority().map(|a| a.as_str().as_bytes()),
        }
    }
    fn path_param(&self, name: &str) -> Option<&str> {
        self.match_info().get(name)
    }
}

#[cfg(feature = "actix")]
impl TenantKey for actix_web::dev::ServiceRequest {
    fn host(&self) -> Option<&[u8]> {
        self.request().host()
    }
    fn path_param(&self, name: &str) -> Option<&str> {
        self.match_info().get(name)
    }
}

/// The longest host name (RFC 1035, without the trailing dot).
pub(super) const MAX_HOST: usize = 253;
/// The longest tenant name a path parameter may give.
#[cfg(feature = "rules")]
pub(super) const MAX_PARAM: usize = 128;

/// Calls `f` with the tenant `request` names under `tenancy`, or answers `false` when it names
/// none. No allocation: a host is lower-cased into a buffer on the stack.
pub(super) fn with_key(
    tenancy: Tenancy,
    request: &dyn TenantKey,
    f: impl FnOnce(&str) -> bool,
) -> bool {
    match tenancy {
        Tenancy::Shared => false,
        Tenancy::PathParam(name) => request.path_param(name).is_some_and(f),
        Tenancy::Host => {
            let Some(host) = request.host() else {
                return false;
            };
            let mut buf = [0u8; MAX_HOST];
            host_key(host, &mut buf).is_some_and(f)
        }
    }
}

/// `host` as a per-host list's key: without `:port` and a trailing dot, lower case; `None`
/// when it cannot be a key (too long, not ASCII, empty).
pub(super) fn host_key<'b>(host: &[u8], buf: &'b mut [u8; MAX_HOST]) -> Option<&'b str> {
    let name = match host.iter().rposition(|&b| b == b':') {
        // `[::1]:8080` and `[::1]`: the port follows the bracket.
        Some(colon) if !host.starts_with(b"[") || host[..colon].ends_with(b"]") => &host[..colon],
        _ => host,
    };
    let name = name.strip_suffix(b".").unwrap_or(name);
    if name.is_empty() || name.len() > MAX_HOST || !name.is_ascii() {
        return None;
    }
    let out = &mut buf[..name.len()];
    out.copy_from_slice(name);
    out.make_ascii_lowercase();
    core::str::from_utf8(out).ok()
}

/// Why `tenant` cannot be a key under `tenancy`, if it cannot.
#[cfg(feature = "rules")]
pub(super) fn check_tenant(tenancy: Tenancy, tenant: &str) -> Option<String> {
    match tenancy {
        Tenancy::Shared => Some(
            "this list is one for every request: build it with `RuntimeOrigins::per_host()` or \
             `per_path_param(..)` to keep a list per tenant"
                .to_owned(),
        ),
        Tenancy::Host => {
            let mut buf = [0u8; MAX_HOST];
            match host_key(tenant.as_bytes(), &mut buf) {
                Some(key) if key == tenant => None,
                Some(key) => Some(format!(
                    "a host key is lower case, without port or trailing dot: write `{key}`"
                )),
                None => Some(format!(
                    "`{tenant}` is not a host name (ASCII, 1 to {MAX_HOST} bytes)"
                )),
            }
        }
        Tenancy::PathParam(_) => {
            let ok = !tenant.is_empty()
                && tenant.len() <= MAX_PARAM
                && tenant
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
            (!ok).then(|| {
                format!(
                    "`{tenant}` is not a tenant name: 1 to {MAX_PARAM} letters, digits, `-`, `.`, `_`, `~`"
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Req(Option<&'static [u8]>, Option<&'static str>);

    impl TenantKey for Req {
        fn host(&self) -> Option<&[u8]> {
            self.0
        }
        fn path_param(&self, name: &str) -> Option<&str> {
            self.1.filter(|_| name == "tenant")
        }
    }

    #[test]
    fn hosts_are_keys_without_port_case_or_trailing_dot() {
        let mut buf = [0u8; MAX_HOST];
        for (host, key) in [
            (&b"acme.api.example.com"[..], Some("acme.api.example.com")),
            (b"ACME.api.example.com:8443", Some("acme.api.example.com")),
            (b"acme.api.example.com.", Some("acme.api.example.com")),
            (b"127.0.0.1:8080", Some("127.0.0.1")),
            (b"[::1]:8080", Some("[::1]")),
            (b"[::1]", Some("[::1]")),
            (b"", None),
            (b":80", None),
            (b"caf\xc3\xa9.example", None),
        ] {
            assert_eq!(host_key(host, &mut buf), key, "{}", host.escape_ascii());
        }
        let longest = vec![b'a'; MAX_HOST];
        assert_eq!(host_key(&longest, &mut buf).map(str::len), Some(MAX_HOST));
        let long = vec![b'a'; MAX_HOST + 1];
        assert_eq!(host_key(&long, &mut buf), None);
    }

    #[test]
    fn without_a_request_there_is_no_tenant() {
        // What `Policy::allows_origin` asks: a per-tenant list then allows nothing, whatever
        // tenants it holds.
        assert_eq!(NoRequest.host(), None);
        assert_eq!(NoRequest.path_param("tenant"), None);
    }

    #[cfg(feature = "actix")]
    #[test]
    fn actix_requests_name_their_host_and_path_parameters() {
        use actix_web::test::TestRequest;
        let request = || {
            TestRequest::default()
                .insert_header(("host", "Acme.example.com:8443"))
                .param("tenant", "acme")
        };
        let http = request().to_http_request();
        let service = request().to_srv_request();
        let keys: [&dyn TenantKey; 2] = [&http, &service];
        for key in keys {
            assert_eq!(key.host(), Some(&b"Acme.example.com:8443"[..]));
            assert_eq!(key.path_param("tenant"), Some("acme"));
            assert_eq!(key.path_param("other"), None);
        }
    }

    #[test]
    fn the_key_comes_from_what_the_tenancy_reads() {
        let req = Req(Some(b"Acme.example.com:1"), Some("globex"));
        let key = |tenancy| {
            let mut seen = None;
            with_key(tenancy, &req, |k| {
                seen = Some(k.to_owned());
                true
            });
            seen
        };
        assert_eq!(key(Tenancy::Host).as_deref(), Some("acme.example.com"));
        assert_eq!(key(Tenancy::PathParam("tenant")).as_deref(), Some("globex"));
        assert_eq!(key(Tenancy::PathParam("other")), None);
        assert_eq!(key(Tenancy::Shared), None);
        assert!(!with_key(Tenancy::Host, &Req(None, None), |_| true));
    }

    #[cfg(feature = "rules")]
    #[test]
    fn tenant_names_are_checked() {
        assert_eq!(check_tenant(Tenancy::Host, "acme.example.com"), None);
        assert!(
            check_tenant(Tenancy::Host, "Acme.example.com:80")
                .unwrap()
                .contains("write `acme.example.com`")
        );
        assert!(check_tenant(Tenancy::Host, "").is_some());
        assert_eq!(check_tenant(Tenancy::PathParam("t"), "acme-1"), None);
        assert!(check_tenant(Tenancy::PathParam("t"), "a/b").is_some());
        assert!(check_tenant(Tenancy::Shared, "acme").is_some());
    }
}
