//! `Access-Control-Request-Headers` parsing (`request_headers::check_requested`) on any bytes.
//!
//! Input: the first byte picks the policy (none, `*`, a list); the rest are header lines
//! separated by `\n`. Checks: no panic; `Ok` only when every item is an allowed token and the
//! list is within the bounds; an error names an item of the input.
#![no_main]

use cors_runtime::policy::Names;
use cors_runtime::request_headers::{
    self, AllowHeaders, MAX_REQUESTED_BYTES, MAX_REQUESTED_HEADERS, RequestedHeadersError,
};
use libfuzzer_sys::fuzz_target;

const LIST: AllowHeaders = AllowHeaders::List(Names {
    names: &["content-type", "x-api-key", "authorization"],
    value: "content-type, x-api-key, authorization",
});

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let allowed = match pick % 3 {
        0 => AllowHeaders::None,
        1 => AllowHeaders::Any,
        _ => LIST,
    };
    let lines: Vec<&[u8]> = rest.split(|&b| b == b'\n').collect();
    let items: Vec<&[u8]> = lines
        .iter()
        .flat_map(|l| l.split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .filter(|i| !i.is_empty())
        .collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    match request_headers::check_requested(lines.iter().copied(), &allowed) {
        Ok(count) => {
            assert_eq!(count, items.len());
            assert!(bytes <= MAX_REQUESTED_BYTES && items.len() <= MAX_REQUESTED_HEADERS);
            for item in &items {
                assert!(request_headers::is_token(item) && allowed.allows(item));
            }
            if matches!(allowed, AllowHeaders::None) {
                assert!(items.is_empty());
            }
        }
        Err(RequestedHeadersError::TooLarge) => {
            assert!(bytes > MAX_REQUESTED_BYTES || items.len() > MAX_REQUESTED_HEADERS);
        }
        Err(RequestedHeadersError::NotAllowed(name)) => {
            assert!(items.contains(&name) && !allowed.allows(name));
        }
        Err(RequestedHeadersError::Malformed(name)) => {
            assert!(items.contains(&name) && !request_headers::is_token(name));
        }
        Err(other) => panic!("a refusal this target does not know: {other:?}"),
    }
});
