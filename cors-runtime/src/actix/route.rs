//! [`CorsRoute`]: a policy bound to one route, with every response header value that does not
//! depend on the request built at compile time. What it answers is in `preflight` (a preflight)
//! and `actual` (any other request); what it logs, in `logging`.

use actix_web::guard::GuardContext;
use actix_web::http::header::HeaderValue;

use super::response::any;
use crate::policy::{Names, Origins, Policy};

/// A [`Policy`] bound to one route: where its handler is (for log lines and the app's CORS
/// surface), its path, its methods (the ones its preflights may ask for) and its own guards.
///
/// `#[cors]` writes one `&'static CorsRoute` per resource it registers, as a struct literal: its
/// fields are the contract between the macros and this crate, each fact once, in the form the
/// answer uses. Nothing in it needs dropping, so the compiler promotes the literal to static
/// memory where it is written (cheaper to compile than a `static` item per route). The fields
/// are not public API: read a route with its methods.
#[derive(Debug, Clone)]
pub struct CorsRoute {
    #[doc(hidden)]
    pub policy: Policy,
    #[doc(hidden)]
    pub handler: HandlerSource,
    #[doc(hidden)]
    pub path: &'static str,
    /// The methods, with `Access-Control-Allow-Methods`'s value for them.
    #[doc(hidden)]
    pub methods: Names,
    /// The route attribute's `guard = ...` functions, in order.
    #[doc(hidden)]
    pub guards: &'static [Guard],
    /// `preflights_skip_guards`: a preflight is answered whatever `guards` say.
    #[doc(hidden)]
    pub preflights_skip_guards: bool,
}

/// Where a route's handler is: its name, its module and the line of its `#[cors]`.
///
/// Not public API: the macros build it; read it with [`CorsRoute::handler`] and friends.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerSource {
    /// The handler function's name.
    pub name: &'static str,
    /// Its module (`module_path!()`); empty for a [`ScopeCors`](super::ScopeCors) policy.
    pub module: &'static str,
    /// The file and line of its `#[cors]` (`file!()`, `line!()`).
    pub file: &'static str,
    /// See `file`.
    pub line: u32,
}

/// A route guard as the route attribute names it (`guard = "is_json"`).
///
/// Not public API: the macros build it.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Guard {
    /// The function's path as written.
    pub name: &'static str,
    /// The function.
    pub check: GuardFn,
}

impl core::fmt::Debug for Guard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name)
    }
}

/// A route guard's function: of the request's [`GuardContext`].
pub type GuardFn = for<'a, 'b> fn(&'a GuardContext<'b>) -> bool;

impl CorsRoute {
    /// A scope-wide binding of `policy` (see [`ScopeCors`](super::ScopeCors)): its preflight
    /// answers allow `GET` and `HEAD`, and log lines show the request's path too.
    pub(crate) const fn scope_wide(policy: Policy) -> Self {
        Self {
            policy,
            handler: HandlerSource {
                name: "ScopeCors",
                module: "",
                file: "",
                line: 0,
            },
            path: "",
            methods: Names {
                names: &["GET", "HEAD"],
                value: "GET, HEAD",
            },
            guards: &[],
            preflights_skip_guards: false,
        }
    }

    /// Whether this is a [`ScopeCors`](super::ScopeCors) policy rather than a route's.
    pub(crate) const fn is_scope_wide(&self) -> bool {
        self.handler.module.is_empty()
    }

    /// The policy.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The handler's name, as log lines show it.
    pub const fn name(&self) -> &'static str {
        self.handler.name
    }

    /// The handler's module path (`crate::api::items`).
    pub const fn module(&self) -> &'static str {
        self.handler.module
    }

    /// The file and line of the route's `#[cors]`.
    pub const fn location(&self) -> (&'static str, u32) {
        (self.handler.file, self.handler.line)
    }

    /// The names of the route's own guards (`guard = "..."`), in order.
    pub fn guard_names(&self) -> impl ExactSizeIterator<Item = &'static str> + '_ {
        self.guards.iter().map(|g| g.name)
    }

    /// Whether preflights are answered whatever the route's guards say
    /// (`preflights_skip_guards`).
    pub const fn preflights_skip_guards(&self) -> bool {
        self.preflights_skip_guards
    }

    /// The route's path pattern.
    pub const fn path(&self) -> &'static str {
        self.path
    }

    /// The route's methods: the ones its preflights may ask for.
    pub const fn methods(&self) -> &'static [&'static str] {
        self.methods.names
    }

    /// Whether a preflight asking for `method` (the `Access-Control-Request-Method` bytes) is
    /// this route's to answer: one of its methods, in any case, so that a `patch` meant for
    /// `PATCH` gets an answer that says why it fails.
    pub(crate) fn answers_method(&self, method: &[u8]) -> bool {
        self.methods
            .names
            .iter()
            .any(|m| m.as_bytes() == method || m.as_bytes().eq_ignore_ascii_case(method))
    }

    /// Whether the route's own guards let the request in.
    pub(crate) fn guards_pass(&self, ctx: &GuardContext<'_>) -> bool {
        self.guards.iter().all(|guard| (guard.check)(ctx))
    }

    /// Whether a preflight asking for `method` is this route's to answer: one of its methods
    /// (see [`answers_method`](Self::answers_method)), and its guards pass unless preflights
    /// skip them. The resource guard and [`ScopeCors`](super::ScopeCors)'s table both ask this.
    pub(crate) fn takes_preflight(&self, ctx: &GuardContext<'_>, method: &[u8]) -> bool {
        self.answers_method(method) && (self.preflights_skip_guards || self.guards_pass(ctx))
    }

    /// `Access-Control-Allow-Origin` for an allowed `origin`: `*` or the origin itself.
    pub(crate) fn allow_origin(&self, origin: &HeaderValue) -> HeaderValue {
        match self.policy.origins() {
            Origins::Any => any(),
            _ => origin.clone(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::origin::OriginSet;
    use crate::policy::MaxAge;
    use crate::request_headers::AllowHeaders;

    const APP: &str = "https://app.example.com";

    /// A route as `#[cors]` emits it, for the runtime's unit tests: `name` at `path`, answering
    /// preflights for `methods`.
    pub(crate) const fn route(
        policy: Policy,
        name: &'static str,
        path: &'static str,
        methods: Names,
    ) -> CorsRoute {
        CorsRoute {
            policy,
            handler: HandlerSource {
                name,
                module: "tests",
                file: file!(),
                line: line!(),
            },
            path,
            methods,
            guards: &[],
            preflights_skip_guards: false,
        }
    }

    const fn policy(origins: Origins, max_age: Option<MaxAge>) -> Policy {
        Policy {
            origins,
            allow_headers: AllowHeaders::List(Names {
                names: &["content-type", "x-api-key"],
                value: "content-type, x-api-key",
            }),
            expose_headers: Some(Names {
                names: &["x-request-id"],
                value: "x-request-id",
            }),
            credentials: false,
            max_age,
            forward_refused: false,
        }
    }

    static LISTED: CorsRoute = route(
        policy(
            Origins::Set(OriginSet::__new(&[APP, ""], &[])),
            Some(MaxAge {
                seconds: 600,
                value: "600",
            }),
        ),
        "update_item",
        "/items/{id}",
        Names {
            names: &["PUT", "PATCH"],
            value: "PUT, PATCH",
        },
    );

    #[test]
    fn a_route_answers_preflights_for_its_methods_in_any_case() {
        for yes in [&b"PUT"[..], b"PATCH", b"patch", b"Put"] {
            assert!(LISTED.answers_method(yes), "{}", yes.escape_ascii());
        }
        for no in [&b"GET"[..], b"POST", b"", b"PUT "] {
            assert!(!LISTED.answers_method(no), "{}", no.escape_ascii());
        }
    }

    #[test]
    fn allow_origin_is_a_star_or_the_origin_itself() {
        let origin = HeaderValue::from_static(APP);
        assert_eq!(LISTED.allow_origin(&origin), APP);
        let any = route(policy(Origins::Any, None), "f", "/", LISTED.methods);
        assert_eq!(any.allow_origin(&origin), "*");
    }

    #[test]
    fn a_scope_wide_binding_answers_get_and_head() {
        let scope = CorsRoute::scope_wide(policy(Origins::Any, None));
        assert_eq!(scope.methods(), ["GET", "HEAD"]);
        assert_eq!(scope.methods.value, "GET, HEAD");
        assert!(scope.is_scope_wide() && !LISTED.is_scope_wide());
    }

    #[test]
    fn a_route_reads_back_its_guards_as_written() {
        fn is_json(_: &GuardContext<'_>) -> bool {
            true
        }
        static GUARDED: CorsRoute = CorsRoute {
            guards: &[Guard {
                name: "guards::is_json",
                check: is_json,
            }],
            preflights_skip_guards: true,
            ..route(Policy::REFUSING_EVERY_ORIGIN, "f", "/f", Names::GET)
        };
        assert!(GUARDED.preflights_skip_guards() && !LISTED.preflights_skip_guards());
        assert_eq!(
            GUARDED.guard_names().collect::<Vec<_>>(),
            ["guards::is_json"]
        );
        assert_eq!(format!("{:?}", GUARDED.guards), "[guards::is_json]");
    }
}
