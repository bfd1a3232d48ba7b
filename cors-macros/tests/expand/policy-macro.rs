// What cors-macros generates for the input below. Checked by src/expand/snapshots.rs;
// `EXPAND_SNAPSHOTS=overwrite cargo test -p cors-macros` rewrites it.
//
// const API: Policy = policy!(
//     origins = ["https://app.example.com", "http://localhost:*"],
//     allow_headers = ["authorization"],
//     credentials,
//     max_age = 86400,
// );

const API: Policy = {
    use ::route_cors::__private as __cors;
    const _: () = {
        #[deprecated(
            note = "`max_age = 86400` is above Chromium's cap of 7200 s: browsers cap the preflight cache whatever this says, Chromium at 7200 s, Safari (WebKit) at 600 s, and only Firefox honours up to 86400 s; write `max_age = 7200` to say what Chromium does, or put `#[allow(deprecated)]` on the handler (or the `policy!` constant) to keep Firefox's longer cache"
        )]
        #[allow(non_camel_case_types)]
        struct max_age_above_chromium_cap;
        let _ = max_age_above_chromium_cap;
    };
    __cors::Policy {
        origins: __cors::Origins::Set(__cors::OriginSet {
            table: &["https://app.example.com", ""],
            patterns: &[
                __cors::OriginPattern::AnyPort {
                    prefix: "http://localhost",
                },
            ],
        }),
        allow_headers: __cors::AllowHeaders::List(__cors::Names {
            names: &["authorization"],
            value: "authorization",
        }),
        expose_headers: __cors::None,
        credentials: true,
        max_age: __cors::Some(__cors::MaxAge {
            seconds: 86400,
            value: "86400",
        }),
        forward_refused: false,
    }
};
