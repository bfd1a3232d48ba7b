#![deny(deprecated)]

use route_cors::{Policy, policy};

const API: Policy = policy!(origins = ["https://app.example.com"], max_age = 7201);

fn main() {
    let _ = API;
}
