use route_cors::{Policy, policy};

const API: Policy = policy!(origins = ["https://app.example.com:443", "null"], allow_headers = ["host"]);

fn main() {
    let _ = API;
}
