// What cors-macros generates for the input below. Checked by src/expand/snapshots.rs;
// `EXPAND_SNAPSHOTS=overwrite cargo test -p cors-macros` rewrites it.
//
// const API: Policy = policy!(origins = ["https://app.example.com/"]);

const API: Policy = {
    ::core::compile_error! {
        "an origin is scheme://host[:port] and nothing else; found a trailing slash `/`\n= help: write \"https://app.example.com\""
    }
    ::route_cors::__private::Policy::REFUSING_EVERY_ORIGIN
};
