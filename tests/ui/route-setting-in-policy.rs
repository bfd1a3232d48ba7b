use route_cors::{Policy, policy};

const API: Policy = policy!(origins = ["https://app.example.com"], preflights_skip_guards);

fn main() {
    let _ = API;
}
