//! Prints the whole benchmark table: instructions (callgrind), allocations and wall time
//! (criterion) per request, for every scenario and request kind; the origin-count sweep; and the
//! compile cost of 200 annotated routes.
//!
//! `report [--skip-callgrind] [--skip-criterion] [--skip-compile] [--only SCENARIO,...]`
//! (`--only`: the per-request rows of those scenarios alone); `report --child SCENARIO KIND N`
//! serves N requests (what the callgrind runs measure).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use route_cors_bench::{
    Counting, Kind, Scenario, allocations_per_request, serve, serve_all, with_app,
};

#[global_allocator]
static ALLOC: Counting = Counting;

/// Requests in the smaller and the larger callgrind run; their difference is what is counted.
const RUNS: (usize, usize) = (1000, 2000);

/// Pairs of callgrind runs per row. The count of one request differs from process to process
/// by a few tens of instructions (actix-web's header maps hash with a seed chosen per process,
/// so probes differ), so a row is the median of three pairs.
const PAIRS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..]);
        return;
    }
    let skip = |what: &str| args.iter().any(|a| a == &format!("--skip-{what}"));
    let only: Option<Vec<Scenario>> = args.iter().position(|a| a == "--only").map(|i| {
        let names = args.get(i + 1).expect("--only SCENARIO,...");
        names
            .split(',')
            .map(|name| Scenario::parse(name).unwrap_or_else(|| panic!("no scenario {name}")))
            .collect()
    });
    // The measured scenarios, with their places in `Scenario::ALL`.
    let measured: Vec<(usize, Scenario)> = Scenario::ALL
        .into_iter()
        .enumerate()
        .filter(|(_, s)| only.as_ref().is_none_or(|only| only.contains(s)))
        .collect();
    let out = out_dir();
    std::fs::create_dir_all(&out).expect("create the output directory");

    let mut rows: BTreeMap<(usize, usize), Row> = BTreeMap::new();
    for &(s, scenario) in &measured {
        for (k, kind) in Kind::ALL.into_iter().enumerate() {
            let (allocations, bytes) = with_app!(scenario, |app| {
                allocations_per_request(&app, scenario, kind, 1000)
            });
            rows.insert(
                (s, k),
                Row {
                    allocations: Some(allocations),
                    bytes: Some(bytes),
                    ..Row::default()
                },
            );
        }
    }
    // `--skip-requests`: only the compile cost (with its instruction counts).
    if !skip("callgrind") && !skip("requests") {
        for &(s, scenario) in &measured {
            for (k, kind) in Kind::ALL.into_iter().enumerate() {
                let mut per: Vec<f64> = (0..PAIRS)
                    .map(|_| {
                        let small = callgrind(&out, scenario, kind, RUNS.0);
                        let large = callgrind(&out, scenario, kind, RUNS.1);
                        #[allow(clippy::cast_precision_loss)]
                        let per = (large as f64 - small as f64) / (RUNS.1 - RUNS.0) as f64;
                        per
                    })
                    .collect();
                per.sort_by(f64::total_cmp);
                rows.get_mut(&(s, k)).expect("row").instructions = Some(per[PAIRS / 2]);
            }
        }
    }
    if !skip("criterion") && !skip("requests") {
        let dir = out.join("criterion");
        let mut c = Criterion::default()
            .output_directory(&dir)
            .without_plots()
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_millis(1000))
            .sample_size(20);
        for &(_, scenario) in &measured {
            let mut group = c.benchmark_group(scenario.name());
            for kind in Kind::ALL {
                with_app!(scenario, |app| {
                    group.bench_function(kind.name(), |b| {
                        b.iter_batched(
                            || scenario.request(kind),
                            |req| serve(&app, req),
                            BatchSize::SmallInput,
                        );
                    });
                });
            }
            group.finish();
        }
        for &(s, scenario) in &measured {
            for (k, kind) in Kind::ALL.into_iter().enumerate() {
                let file = dir
                    .join(scenario.name())
                    .join(kind.name())
                    .join("new/estimates.json");
                rows.get_mut(&(s, k)).expect("row").nanos = read_mean(&file);
            }
        }
    }
    let replace = (!skip("replace")).then(replace_cost);
    let compile = if skip("compile") {
        None
    } else {
        Some(compile_cost(&out.join("compile-cost"), !skip("callgrind")))
    };
    print!("{}", table(&rows, compile, only.is_some()));
    if let Some(replace) = replace {
        print!("{replace}");
    }
}

/// Replacing a run-time list of 100,000 origins while serving: the wall time of
/// `update().replace(..)` (checking every entry, laying the list out, the swap and the diff for
/// the change report; best and median of 7, each replacing 100,000 origins with 100,000 others),
/// and the heap the list in force holds per origin.
fn replace_cost() -> String {
    use route_cors_bench::route_cors_runtime::RUNTIME;
    const N: usize = 100_000;
    let list = |g: usize| -> Vec<String> {
        (0..N)
            .map(|i| format!("https://app{i}.t{g}.example.com"))
            .collect()
    };
    RUNTIME
        .update()
        .replace(["https://one.example.com"])
        .expect("a good list");
    let one = Counting::bytes_in_use();
    let mut times = Vec::new();
    for g in 0..7 {
        let next = list(g);
        let start = Instant::now();
        RUNTIME.update().replace(next).expect("a good list");
        times.push(start.elapsed());
    }
    times.sort();
    // The input was consumed and freed: what is left is the list in force (and the old one,
    // freed by the swap).
    #[allow(clippy::cast_precision_loss)]
    let per_origin = (Counting::bytes_in_use() - one) as f64 / N as f64;
    let text_len = list(6).iter().map(String::len).sum::<usize>();
    #[allow(clippy::cast_precision_loss)]
    let text_per = text_len as f64 / N as f64;
    let mut t = String::new();
    t.push_str("\n## Replacing a run-time list while serving (100,000 origins)\n\n| measure | value | target | met |\n|---|---:|---|---|\n");
    let best = times[0];
    let median = times[times.len() / 2];
    writeln!(
        t,
        "| replace 100,000 origins, best of 7 | {:.1} ms | ≤ 50 ms | {} |",
        best.as_secs_f64() * 1e3,
        if best <= Duration::from_millis(50) {
            "yes"
        } else {
            "**no**"
        }
    )
    .expect("write");
    writeln!(
        t,
        "| the same, median | {:.1} ms | - | - |",
        median.as_secs_f64() * 1e3
    )
    .expect("write");
    writeln!(
        t,
        "| heap per origin held by the list in force | {per_origin:.1} bytes (of which the origin's text {text_per:.1}) | - | - |"
    )
    .expect("write");
    t
}

#[derive(Debug, Default, Clone, Copy)]
struct Row {
    instructions: Option<f64>,
    /// `None` for a scenario left out by `--only`.
    allocations: Option<f64>,
    /// Bytes allocated per request (the sizes asked for, freed or not).
    bytes: Option<f64>,
    nanos: Option<f64>,
}

/// `target/bench-out`, next to the binary's profile directory.
fn out_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/report")
        .join("bench-out")
}

/// `--child SCENARIO KIND N`: warm up, then serve N requests inside `serve_all`.
fn child(args: &[String]) {
    let [scenario, kind, n] = args else {
        panic!("usage: report --child SCENARIO KIND N");
    };
    let scenario = Scenario::parse(scenario).expect("a scenario name");
    let kind = Kind::parse(kind).expect("a kind name");
    let n: usize = n.parse().expect("a number of requests");
    with_app!(scenario, |app| {
        let warm: Vec<_> = (0..200).map(|_| scenario.request(kind)).collect();
        serve_all(&app, warm);
        let reqs: Vec<_> = (0..n).map(|_| scenario.request(kind)).collect();
        std::hint::black_box(serve_all(&app, reqs));
    });
}

/// Instructions executed inside `serve_all` (the second call, after the warm-up call) for `n`
/// requests, under callgrind. The output file is kept for `callgrind_annotate`.
fn callgrind(out: &Path, scenario: Scenario, kind: Kind, n: usize) -> u64 {
    let file = out.join(format!(
        "callgrind.{}.{}.{n}.out",
        scenario.name(),
        kind.name()
    ));
    let exe = std::env::current_exe().expect("current exe");
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--toggle-collect=*serve_all*")
        .arg(format!("--callgrind-out-file={}", file.display()))
        .arg(&exe)
        .args(["--child", scenario.name(), kind.name(), &n.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run valgrind (is it installed?)");
    assert!(status.success(), "valgrind failed for {file:?}");
    let text = std::fs::read_to_string(&file).expect("read the callgrind output");
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("a totals line in the callgrind output")
}

/// The mean of a criterion estimate, in nanoseconds.
fn read_mean(file: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(file).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

/// Compile cost: fastest of ten `cargo check` runs (seconds) of a crate with 200 annotated
/// routes and of the same crate without `#[cors]`, once their dependencies are built. The fastest
/// run is the least disturbed by other work on the machine.
/// With `instructions`, also rustc's instructions (callgrind) for an incremental re-check of
/// each, which unlike wall time on a shared machine is the same from run to run.
fn compile_cost(dir: &Path, instructions: bool) -> Compile {
    const ROUTES: usize = 200;
    const REPEATS: usize = 10;
    let facade = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the route-cors checkout")
        .to_path_buf();
    std::fs::create_dir_all(dir).expect("create the compile-cost directory");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"cors\", \"named\", \"plain\"]\nresolver = \"3\"\n",
    )
    .expect("write");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
    // Issue 11's shape: a path parameter, an exact origin and a pattern, headers, credentials;
    // `cors` writes the policy in every route, `named` once in a `policy!`, `plain` has none.
    const POLICY: &str = "origins = [\"https://app.example.com\", \"https://*.example.com\"], allow_headers = [\"content-type\", \"x-api-key\"], credentials, max_age = 600";
    let source = |package: &str, stamp: usize| {
        let mut s = format!("//! {ROUTES} routes (build {stamp}).\n#![allow(missing_docs)]\n\n");
        if package == "named" {
            writeln!(
                s,
                "const API: route_cors::Policy = route_cors::policy!({POLICY});\n"
            )
            .expect("write to a String");
        }
        for i in 0..ROUTES {
            match package {
                "cors" => writeln!(s, "#[route_cors::cors({POLICY})]"),
                "named" => writeln!(s, "#[route_cors::cors(API)]"),
                _ => Ok(()),
            }
            .expect("write to a String");
            writeln!(
                s,
                "#[actix_web::get(\"/r{i}/{{id}}\")]\npub async fn r{i}(id: actix_web::web::Path<u32>) -> String {{ format!(\"{{id}}\") }}\n"
            )
            .expect("write to a String");
        }
        s.push_str("pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {\n");
        for i in 0..ROUTES {
            writeln!(s, "    cfg.service(r{i});").expect("write to a String");
        }
        s.push_str("}\n");
        s
    };
    for name in ["cors", "named", "plain"] {
        std::fs::create_dir_all(dir.join(name).join("src")).expect("create");
        std::fs::write(
            dir.join(name).join("Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\nactix-web = {{ version = \"4.18\", default-features = false, features = [\"macros\"] }}\n\
                 route-cors = {{ path = {:?} }}\n",
                facade.display().to_string()
            ),
        )
        .expect("write");
        std::fs::write(dir.join(name).join("src/lib.rs"), source(name, 0)).expect("write");
    }
    // `incremental`: what an edit-and-check loop pays (rustc reuses the type checking of
    // unchanged items but runs every proc macro again); off: a first build, or CI.
    let check = |package: &str, incremental: bool| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let start = Instant::now();
        let status = Command::new(cargo)
            .args(["check", "--offline", "--quiet", "-p", package])
            .current_dir(dir)
            .env("CARGO_BUILD_JOBS", "1")
            .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
            .env_remove("CARGO_TARGET_DIR")
            .status()
            .expect("run cargo check");
        assert!(status.success(), "cargo check -p {package} failed");
        start.elapsed().as_secs_f64()
    };
    // Dependencies first.
    check("cors", true);
    check("plain", true);
    let fastest = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let mut result = [(0.0, 0.0); 2];
    for (r, incremental) in [true, false].into_iter().enumerate() {
        let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for stamp in 1..=REPEATS {
            for (i, name) in ["cors", "plain"].into_iter().enumerate() {
                std::fs::write(
                    dir.join(name).join("src/lib.rs"),
                    source(name, stamp + 100 * r),
                )
                .expect("write");
                times[i].push(check(name, incremental));
            }
        }
        let regime = if incremental {
            "incremental"
        } else {
            "from scratch"
        };
        eprintln!(
            "cargo check seconds ({regime}), with #[cors]: {:?}",
            times[0]
        );
        eprintln!(
            "cargo check seconds ({regime}), without:     {:?}",
            times[1]
        );
        result[r] = (fastest(&times[0]), fastest(&times[1]));
    }
    let instructions = instructions.then(|| {
        let [cors, named, plain] = ["cors", "named", "plain"].map(|name| {
            // The first run under the wrapper checks the crate from scratch (the wrapper is part
            // of its fingerprint); the second is the incremental re-check that is counted.
            let mut counted = 0;
            for stamp in [1000, 1001] {
                std::fs::write(dir.join(name).join("src/lib.rs"), source(name, stamp))
                    .expect("write");
                counted = rustc_instructions(dir, name);
            }
            counted
        });
        (cors, named, plain)
    });
    Compile {
        incremental: result[0],
        full: result[1],
        instructions,
    }
}

/// What [`compile_cost`] measured: (with, without) `#[cors]`.
struct Compile {
    incremental: (f64, f64),
    full: (f64, f64),
    /// With an inline policy, with one named policy, without `#[cors]`.
    instructions: Option<(u64, u64, u64)>,
}

/// rustc's instructions for `cargo check -p package` in `dir`, under callgrind.
fn rustc_instructions(dir: &Path, package: &str) -> u64 {
    let runs = dir.join("callgrind");
    let _ = std::fs::remove_dir_all(&runs);
    std::fs::create_dir_all(&runs).expect("create the callgrind directory");
    let wrapper = dir.join("count-rustc.sh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nrustc=\"$1\"; shift\nexec valgrind --tool=callgrind -q --callgrind-out-file={}/rustc.%p \"$rustc\" \"$@\"\n",
            runs.display()
        ),
    )
    .expect("write the wrapper");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "chmod +x {} && exec {cargo} check --offline --quiet -p {package}",
            wrapper.display()
        ))
        .current_dir(dir)
        .env("CARGO_BUILD_JOBS", "1")
        .env("CARGO_INCREMENTAL", "1")
        .env("RUSTC_WORKSPACE_WRAPPER", &wrapper)
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .expect("run cargo check under valgrind");
    assert!(
        status.success(),
        "cargo check -p {package} under valgrind failed"
    );
    // The largest count is the check itself (cargo also asks the wrapped rustc for its version).
    std::fs::read_dir(&runs)
        .expect("read the callgrind directory")
        .filter_map(|entry| {
            let text = std::fs::read_to_string(entry.ok()?.path()).ok()?;
            text.lines()
                .find_map(|l| l.strip_prefix("summary:"))
                .and_then(|v| v.trim().parse::<u64>().ok())
        })
        .max()
        .expect("a callgrind count for rustc")
}

/// With `only` (some scenarios left out), the targets with nothing measured are left out too.
fn table(rows: &BTreeMap<(usize, usize), Row>, compile: Option<Compile>, only: bool) -> String {
    let row = |s: Scenario, k: Kind| {
        let si = Scenario::ALL
            .iter()
            .position(|x| *x == s)
            .expect("scenario");
        let ki = Kind::ALL.iter().position(|x| *x == k).expect("kind");
        rows.get(&(si, ki)).copied().unwrap_or_default()
    };
    let fmt = |v: Option<f64>, digits: usize| {
        v.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
    };
    let mut t = String::new();
    t.push_str("## Per request (GET /items → `[]`; the -dyn rows GET /items/{id} → `item {id}`; the -200 rows GET /c199/42 of 200 routes /cN/{id}; the -auth rows GET /api/items in a scope behind authentication; in-process, test::init_service + Service::call)\n\n");
    t.push_str(
        "| scenario | request | instructions | × bare | + bare | allocations | bytes allocated | wall time (ns) |\n",
    );
    t.push_str("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (s, scenario) in Scenario::ALL.into_iter().enumerate() {
        if !rows.contains_key(&(s, 0)) {
            continue;
        }
        for kind in Kind::ALL {
            let r = row(scenario, kind);
            let bare = row(scenario.bare(), kind).instructions;
            let ratio = r.instructions.zip(bare).map(|(a, b)| a / b);
            let added = r.instructions.zip(bare).map(|(a, b)| a - b);
            writeln!(
                t,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                scenario.name(),
                kind.name(),
                fmt(r.instructions, 0),
                fmt(ratio, 3),
                fmt(added, 0),
                fmt(r.allocations, 2),
                fmt(r.bytes, 0),
                fmt(r.nanos, 0),
            )
            .expect("write to a String");
        }
    }
    t.push_str("\n## Targets\n\n| target | measured | ratio | met |\n|---|---|---:|---|\n");
    let mut target = |name: &str, measured: String, ratio: Option<f64>, met: Option<bool>| {
        if only && ratio.is_none() && met.is_none() {
            return;
        }
        let met = met.map_or("-", |m| if m { "yes" } else { "**no**" });
        writeln!(t, "| {name} | {measured} | {} | {met} |", fmt(ratio, 3)).expect("write");
    };
    let ins = |s, k| row(s, k).instructions;
    let ratio = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a / b);
    let allocs = |s, k| row(s, k).allocations;
    let bytes = |s, k| row(s, k).bytes;
    let diff = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
    // Preflight: `ours` against actix-cors, instructions (at most `limit` times) and allocations.
    let preflight_targets = |path: &str, actix, ours, limit: f64| {
        let pre = ratio(ins(ours, Kind::Preflight), ins(actix, Kind::Preflight));
        let (a, b) = (
            allocs(ours, Kind::Preflight),
            allocs(actix, Kind::Preflight),
        );
        [
            (
                format!("{path} preflight: ≤ {limit}× actix-cors instructions"),
                format!(
                    "{} vs {}",
                    fmt(ins(ours, Kind::Preflight), 0),
                    fmt(ins(actix, Kind::Preflight), 0)
                ),
                pre,
                pre.map(|r| r <= limit),
            ),
            (
                format!("{path} preflight: no more allocations than actix-cors"),
                format!("{} vs {}", fmt(a, 2), fmt(b, 2)),
                None,
                a.zip(b).map(|(a, b)| a <= b),
            ),
        ]
    };
    for (path, bare, floor, actix, ours) in [
        (
            "/items",
            Scenario::Bare,
            Scenario::WrapFn,
            Scenario::ActixCors,
            Scenario::RouteCors,
        ),
        (
            "/items/{id}",
            Scenario::BareDyn,
            Scenario::WrapFnDyn,
            Scenario::ActixCorsDyn,
            Scenario::RouteCorsDyn,
        ),
    ] {
        let actual = ratio(ins(ours, Kind::Actual), ins(floor, Kind::Actual));
        let measured = format!(
            "{} vs {}",
            fmt(ins(ours, Kind::Actual), 0),
            fmt(ins(floor, Kind::Actual), 0)
        );
        for (bound, name) in [
            (1.0, "≤ the wrap_fn floor's instructions"),
            (1.02, "≤ 1.02× the wrap_fn floor's instructions (issue 22)"),
        ] {
            target(
                &format!("{path} actual allowed: {name}"),
                measured.clone(),
                actual,
                actual.map(|r| r <= bound),
            );
        }
        if path == "/items" {
            // No target: what reading `Origin` alone adds to the floor, for comparison.
            let reading = Scenario::WrapFnOrigin;
            let actual = ratio(ins(ours, Kind::Actual), ins(reading, Kind::Actual));
            target(
                &format!(
                    "{path} actual allowed: against the floor that reads and reflects `Origin` (no check)"
                ),
                format!(
                    "{} vs {}",
                    fmt(ins(ours, Kind::Actual), 0),
                    fmt(ins(reading, Kind::Actual), 0)
                ),
                actual,
                None,
            );
        }
        for (what, a, b, decimals) in [
            (
                "allocations",
                allocs(ours, Kind::Actual),
                allocs(bare, Kind::Actual),
                2,
            ),
            (
                "bytes allocated",
                bytes(ours, Kind::Actual),
                bytes(bare, Kind::Actual),
                0,
            ),
        ] {
            target(
                &format!("{path} actual allowed: +0 {what} vs bare"),
                format!(
                    "{} vs {} (+{})",
                    fmt(a, decimals),
                    fmt(b, decimals),
                    fmt(diff(a, b), decimals)
                ),
                None,
                a.zip(b).map(|(a, b)| a <= b),
            );
        }
        let limit = if path == "/items" { 0.7 } else { 1.0 };
        for (name, measured, ratio, met) in preflight_targets(path, actix, ours, limit) {
            target(&name, measured, ratio, met);
        }
        let refused = ratio(ins(ours, Kind::Refused), ins(bare, Kind::Refused));
        target(
            &format!("{path} refused origin: cheaper than the bare route"),
            format!(
                "{} vs {}",
                fmt(ins(ours, Kind::Refused), 0),
                fmt(ins(bare, Kind::Refused), 0)
            ),
            refused,
            refused.map(|r| r < 1.0),
        );
    }
    // Issue 17: behind a scope's authentication, the preflight (which skips it) costs no more
    // than under actix-cors outside the authentication.
    for (name, measured, ratio, met) in preflight_targets(
        "/api/items behind scope authentication,",
        Scenario::ActixCorsAuth,
        Scenario::RouteCorsAuth,
        1.0,
    ) {
        target(&name, measured, ratio, met);
    }
    // One path match: what the `{id}` pattern costs over the static one, on the bare routes'
    // 404 for the same preflight (a path match, a failed method guard, the 404).
    let ours_diff = diff(
        ins(Scenario::RouteCorsDyn, Kind::Preflight),
        ins(Scenario::RouteCors, Kind::Preflight),
    );
    let one_match = diff(
        ins(Scenario::BareDyn, Kind::Preflight),
        ins(Scenario::Bare, Kind::Preflight),
    );
    target(
        "preflight, `{id}` − static: ≤ one path match (the bare routes' difference)",
        format!("{} vs {}", fmt(ours_diff, 0), fmt(one_match, 0)),
        ratio(ours_diff, one_match),
        ours_diff.zip(one_match).map(|(a, b)| a <= b * 1.02),
    );
    let scale = ratio(
        ins(Scenario::RouteCors200, Kind::Actual),
        ins(Scenario::Bare200, Kind::Actual),
    );
    target(
        "200 routes, a request to the last: ≤ 1.05× the app without #[cors]",
        format!(
            "{} vs {}",
            fmt(ins(Scenario::RouteCors200, Kind::Actual), 0),
            fmt(ins(Scenario::Bare200, Kind::Actual), 0)
        ),
        scale,
        scale.map(|r| r <= 1.05),
    );
    for kind in [Kind::Actual, Kind::Preflight, Kind::Refused] {
        let sweep = ratio(
            ins(Scenario::RouteCors1000, kind),
            ins(Scenario::RouteCors, kind),
        );
        target(
            &format!("1,000 origins ≤ 1.05× 1 origin ({})", kind.name()),
            format!(
                "{} vs {}",
                fmt(ins(Scenario::RouteCors1000, kind), 0),
                fmt(ins(Scenario::RouteCors, kind), 0)
            ),
            sweep,
            sweep.map(|r| r <= 1.05),
        );
    }
    for kind in [Kind::Actual, Kind::Preflight, Kind::Refused] {
        for big in [
            Scenario::RouteCorsRuntime1000,
            Scenario::RouteCorsRuntime100k,
        ] {
            let sweep = ratio(ins(big, kind), ins(Scenario::RouteCorsRuntime1, kind));
            target(
                &format!(
                    "run-time list of {} origins ≤ 1.05× 1 origin ({})",
                    big.runtime_origins().unwrap_or_default(),
                    kind.name()
                ),
                format!(
                    "{} vs {}",
                    fmt(ins(big, kind), 0),
                    fmt(ins(Scenario::RouteCorsRuntime1, kind), 0)
                ),
                sweep,
                sweep.map(|r| r <= 1.05),
            );
        }
        let zero = allocs(Scenario::RouteCorsRuntime100k, kind)
            .zip(allocs(Scenario::RouteCors, kind))
            .map(|(a, b)| a <= b);
        target(
            &format!(
                "run-time list of 100,000 origins: no allocation beyond the compile-time route's ({})",
                kind.name()
            ),
            format!(
                "{} vs {}",
                fmt(allocs(Scenario::RouteCorsRuntime100k, kind), 2),
                fmt(allocs(Scenario::RouteCors, kind), 2)
            ),
            None,
            zero,
        );
    }
    if let Some(Compile {
        incremental: (cors, plain),
        full: (cors_full, plain_full),
        instructions,
    }) = compile
    {
        target(
            "compile: 200 routes, incremental cargo check ≤ 1.25× without #[cors]",
            format!("{cors:.2} s vs {plain:.2} s"),
            Some(cors / plain),
            Some(cors / plain <= 1.25),
        );
        if let Some((cors, named, plain)) = instructions {
            #[allow(clippy::cast_precision_loss)]
            let ratio = |n: u64| n as f64 / plain as f64;
            target(
                "compile: 200 routes, rustc instructions of the incremental check ≤ 1.25× without",
                format!("{cors} vs {plain}"),
                Some(ratio(cors)),
                Some(ratio(cors) <= 1.25),
            );
            target(
                "compile: the same with one named policy (`#[cors(API)]`)",
                format!("{named} vs {plain}"),
                Some(ratio(named)),
                Some(ratio(named) <= 1.25),
            );
        }
        target(
            "compile: 200 routes, cargo check from scratch (no target to meet)",
            format!("{cors_full:.2} s vs {plain_full:.2} s"),
            Some(cors_full / plain_full),
            None,
        );
    }
    t
}
