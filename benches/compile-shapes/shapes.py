#!/usr/bin/env python3
"""Candidate expansions of #[cors], 200 routes each: generate, time and profile `cargo check`.

    benches/compile-shapes/shapes.py init                  # writes benches/target/compile-shapes
    benches/compile-shapes/shapes.py time 10 plain cors new ...     # fastest of 10 `cargo check`
    CARGO_INCREMENTAL=0 benches/compile-shapes/shapes.py time 10 ...  # from scratch
    benches/compile-shapes/shapes.py profile full 5 plain new ...   # rustc -Z self-profile, fastest run

Each shape is one crate of one workspace sharing benches/Cargo.lock. `shim.rs` holds stand-ins
for `route_cors::__private` helpers that do not exist; `shim_macros.rs` a no-op attribute, one
that only parses the handler with syn, and one that emits the `new` shape from tokens.
ROUTES=N changes the number of routes. See BENCHMARKS.md, "Compile cost: profile".
"""
import os, shutil, subprocess, sys, time
import resource as rusage

HERE = os.path.dirname(os.path.abspath(__file__))
FACADE = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(FACADE, "benches", "target", "compile-shapes")
N = int(os.environ.get("ROUTES", "200"))
ATTR = 'origins = ["https://app.example.com"], credentials, allow_headers = ["x-api-key"], max_age = 600'
P = "::route_cors::__private"
POLICY = (f'{P}::Policy::__from_parts({P}::Origins::Set({P}::OriginSet::__new(&["https://app.example.com", ""], &[])), '
          f'{P}::AllowHeaders::List(&["x-api-key"]), ::core::option::Option::Some("x-api-key"), '
          f'::core::option::Option::None, true, ::core::option::Option::Some("600"), false)')

def handler(i, dyn):
    if dyn:
        return f'pub async fn r{i}(id: ::actix_web::web::Path<u32>) -> ::std::string::String {{ ::std::format!("item {{id}}") }}'
    return f'pub async fn r{i}() -> &\'static str {{ "ok" }}'

def path(i, dyn):
    return f"/r{i}/{{id}}" if dyn else f"/r{i}"

def struct(i):
    return f"#[allow(non_camel_case_types)]\npub struct r{i};\n"

def impl(i, body):
    return (f"impl ::actix_web::dev::HttpServiceFactory for r{i} {{\n"
            f"    fn register(self, __config: &mut ::actix_web::dev::AppService) {{\n{body}    }}\n}}\n")

def resource(i, dyn, guard="::actix_web::guard::Get()", wrap=True, route="__CORS_ROUTE"):
    w = f".wrap({P}::CorsGuard::new(&{route}))" if wrap else ""
    return (f'        let __resource = ::actix_web::Resource::new("{path(i, dyn)}").name("r{i}")'
            f'.guard({guard}){w}.to(r{i});\n'
            f"        ::actix_web::dev::HttpServiceFactory::register(__resource, __config);\n")

def static(i, dyn, policy=POLICY, name="__CORS_ROUTE"):
    return (f'        static {name}: {P}::Route = {P}::Route::__new({policy}, "r{i}", "{path(i, dyn)}", &["GET"], "GET");\n')

def route(shape, i, dyn):
    h = handler(i, dyn)
    if shape == "plain":
        return f'#[::actix_web::get("{path(i, dyn)}")]\n{h}\n'
    if shape == "cors":
        return f'#[::route_cors::cors({ATTR})]\n#[::actix_web::get("{path(i, dyn)}")]\n{h}\n'
    if shape == "cors_named":
        return f'#[::route_cors::cors(API)]\n#[::actix_web::get("{path(i, dyn)}")]\n{h}\n'
    if shape == "noop":
        return f'#[::shim_macros::noop({ATTR})]\n#[::actix_web::get("{path(i, dyn)}")]\n{h}\n'
    if shape == "new_macro":
        return f'#[::shim_macros::new_shape({ATTR})]\n#[::actix_web::get("{path(i, dyn)}")]\n{h}\n'
    if shape == "reparse":
        return f'#[::shim_macros::reparse({ATTR})]\n#[::actix_web::get("{path(i, dyn)}")]\n{h}\n'
    if shape == "plain_hand":
        return struct(i) + impl(i, f"        {h}\n" + resource(i, dyn, wrap=False))
    if shape == "today_hand":
        body = (f"        const __CORS_POLICY: {P}::Policy = {POLICY};\n"
                + static(i, dyn, "__CORS_POLICY", "__CORS_ROUTE_0")
                + f'        #[::actix_web::get("{path(i, dyn)}", wrap = "{P}::CorsGuard::new(&__CORS_ROUTE_0)")]\n        {h}\n'
                + f"        ::actix_web::dev::HttpServiceFactory::register(r{i}, __config);\n"
                + f"        {P}::register_preflight(__config, &__CORS_ROUTE_0);\n")
        return struct(i) + impl(i, body)
    if shape == "new":  # the lead's shape: inner fn, inner static (policy inline), method guard, wrap, to
        return struct(i) + impl(i, f"        {h}\n" + static(i, dyn) + resource(i, dyn))
    if shape == "new_routeguard":  # the same with a stand-in RouteGuard(&'static Route) instead of guard::Get()
        return struct(i) + impl(i, f"        {h}\n" + static(i, dyn) + resource(i, dyn, guard="::shim::RouteGuard::new(&__CORS_ROUTE)"))
    if shape == "new_const_policy":  # policy as an inner const item, as today
        return struct(i) + impl(i, f"        {h}\n        const __CORS_POLICY: {P}::Policy = {POLICY};\n"
                                + static(i, dyn, "__CORS_POLICY") + resource(i, dyn))
    if shape == "new_shared_policy":  # #[cors(API)]: one module-level const, a static per route
        return struct(i) + impl(i, f"        {h}\n" + static(i, dyn, "API") + resource(i, dyn))
    if shape == "new_outer_static":  # the static next to the struct, not inside register
        return (struct(i) + static(i, dyn, name=f"__CORS_ROUTE_R{i}").lstrip()
                + impl(i, f"        {h}\n" + resource(i, dyn, route=f"__CORS_ROUTE_R{i}")))
    if shape == "new_nowrap":  # static kept, no CorsGuard: the wrap's own cost
        return struct(i) + impl(i, f"        {h}\n" + static(i, dyn) + "        let _ = &__CORS_ROUTE;\n" + resource(i, dyn, wrap=False))
    if shape == "new_shared_fn":  # one generic helper does Resource::new..to..register
        return struct(i) + impl(i, f"        {h}\n" + static(i, dyn) + f"        ::shim::register(__config, &__CORS_ROUTE, r{i});\n")
    if shape == "new_shared_resource":  # a non-generic helper builds the guarded, wrapped resource; .to per route
        return struct(i) + impl(i, f"        {h}\n" + static(i, dyn)
                                + f"        ::actix_web::dev::HttpServiceFactory::register(::shim::resource(&__CORS_ROUTE).to(r{i}), __config);\n")
    if shape == "new_floor":
        return struct(i) + impl(i, f"        {h}\n        static __CORS_AT: ::shim::At = ::shim::At {{ name: \"r{i}\", path: \"{path(i, dyn)}\", methods: &[\"GET\"] }};\n"
                                + f"        ::shim::register_at(__config, &__CORS_AT, &SHARED_ROUTE, r{i});\n")
    if shape == "new_floor_inline":
        return struct(i) + impl(i, f"        {h}\n        static __CORS_AT: ::shim::At = ::shim::At {{ name: \"r{i}\", path: \"{path(i, dyn)}\", methods: &[\"GET\"] }};\n"
                                + f"        static __CORS_POLICY: {P}::Policy = {POLICY};\n"
                                + f"        ::shim::register_at_policy(__config, &__CORS_AT, &__CORS_POLICY, r{i});\n")
    if shape == "empty":
        return ""
    if shape == "ctfe_route":
        return f'pub static S{i}: {P}::Route = {P}::Route::__new({POLICY}, "r{i}", "{path(i, dyn)}", &["GET"], "GET");\n'
    if shape == "ctfe_policy":
        return f'pub static S{i}: {P}::Policy = {POLICY};\n'
    if shape == "ctfe_hv":
        return f'pub static S{i}: ::actix_web::http::header::HeaderValue = ::actix_web::http::header::HeaderValue::from_static("GET, x-api-key {i}");\n'
    if shape == "ctfe_refs":
        return f'pub static S{i}: (&{P}::Policy, &str, &str, &[&str], &::actix_web::http::header::HeaderValue) = (&API_S, "r{i}", "{path(i, dyn)}", &["GET"], &GET_HV);\n'
    if shape == "ctfe_data":
        return f'pub static S{i}: (&str, &str, &[&str], &str) = ("r{i}", "{path(i, dyn)}", &["GET"], "GET");\n'
    if shape == "ctfe_route_shared":
        return f'pub static S{i}: {P}::Route = {P}::Route::__new(API, "r{i}", "{path(i, dyn)}", &["GET"], "GET");\n'
    raise SystemExit(f"unknown shape {shape}")

def lib(shape, dyn, stamp):
    s = f"//! {N} routes, shape {shape} (build {stamp}).\n#![allow(missing_docs)]\n\n"
    if shape in ("cors_named",):
        s += f"const API: ::route_cors::Policy = ::route_cors::policy!({ATTR});\n\n"
    if shape == "new_floor":
        s += f"static SHARED_ROUTE: {P}::Route = {P}::Route::__new({POLICY}, \"api\", \"\", &[\"GET\"], \"GET\");\n\n"
    if shape == "ctfe_refs":
        s += f"static API_S: {P}::Policy = {POLICY};\nstatic GET_HV: ::actix_web::http::header::HeaderValue = ::actix_web::http::header::HeaderValue::from_static(\"GET\");\n\n"
    if shape in ("new_shared_policy", "ctfe_route_shared"):
        s += f"const API: {P}::Policy = {POLICY};\n\n"
    for i in range(N):
        s += route(shape, i, dyn) + "\n"
    if shape != "empty" and not shape.startswith("ctfe"):
        s += "pub fn configure(cfg: &mut ::actix_web::web::ServiceConfig) {\n"
        for i in range(N):
            s += f"    cfg.service(r{i});\n"
        s += "}\n"
    return s

SHAPES = ["empty", "plain", "plain_hand", "cors", "cors_named", "noop", "reparse", "today_hand", "new",
          "new_macro", "new_routeguard", "new_const_policy", "new_shared_policy", "new_outer_static",
          "new_nowrap", "new_shared_fn", "new_shared_resource", "new_floor", "new_floor_inline",
          "ctfe_route", "ctfe_route_shared", "ctfe_policy", "ctfe_hv", "ctfe_data", "ctfe_refs"]

ACTIX = 'actix-web = { version = "4.18", default-features = false, features = ["macros"] }\n'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def init():
    facade = f'route-cors = {{ path = "{FACADE}" }}\n'
    for shape in SHAPES:
        deps = ACTIX + facade + 'shim = { path = "../shim" }\nshim-macros = { path = "../shim-macros" }\n'
        write(f"{OUT}/{shape}/Cargo.toml",
              f'[package]\nname = "{shape}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[dependencies]\n{deps}')
        write(f"{OUT}/{shape}/src/lib.rs", lib(shape, False, 0))
    write(f"{OUT}/shim/Cargo.toml", '[package]\nname = "shim"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[dependencies]\n' + ACTIX + facade)
    os.makedirs(f"{OUT}/shim/src", exist_ok=True)
    shutil.copy(f"{HERE}/shim.rs", f"{OUT}/shim/src/lib.rs")
    write(f"{OUT}/shim-macros/Cargo.toml",
          '[package]\nname = "shim-macros"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[lib]\nproc-macro = true\n\n'
          '[dependencies]\nproc-macro2 = "1"\nquote = "1"\nsyn = { version = "3", default-features = false, features = ["full", "parsing", "printing", "proc-macro", "clone-impls", "derive"] }\n')
    os.makedirs(f"{OUT}/shim-macros/src", exist_ok=True)
    shutil.copy(f"{HERE}/shim_macros.rs", f"{OUT}/shim-macros/src/lib.rs")
    members = ", ".join(f'"{m}"' for m in SHAPES + ["shim", "shim-macros"])
    write(f"{OUT}/Cargo.toml", f'[workspace]\nresolver = "3"\nmembers = [{members}]\n')
    shutil.copy(f"{FACADE}/benches/Cargo.lock", f"{OUT}/Cargo.lock")
    subprocess.run(["cargo", "check", "--offline", "--workspace", "--quiet"], cwd=OUT, check=True)


def stamp(shape, n):
    write(f"{OUT}/{shape}/src/lib.rs", lib(shape, False, n))


def timing(reps, names):
    """Round-robin over the shapes; wall and CPU (user + sys of cargo and rustc) per run."""
    env = dict(os.environ, CARGO_BUILD_JOBS="1")
    wall = {n: [] for n in names}
    cpu = {n: [] for n in names}
    n0 = int(time.time())
    for n in names:  # warm-up: the first check after `init` or a change of ROUTES is not timed
        stamp(n, n0 - 1)
        subprocess.run(["cargo", "check", "--offline", "--quiet", "-p", n], cwd=OUT, env=env, check=True)
    for r in range(reps):
        for i, n in enumerate(names):
            stamp(n, n0 + r * len(names) + i)
            r0 = rusage.getrusage(rusage.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(["cargo", "check", "--offline", "--quiet", "-p", n], cwd=OUT, env=env, check=True)
            wall[n].append(time.perf_counter() - t)
            r1 = rusage.getrusage(rusage.RUSAGE_CHILDREN)
            cpu[n].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
    base = min(wall[names[0]])
    for n in names:
        print(f"{n:22} wall fastest {min(wall[n]):.3f} s  x{min(wall[n]) / base:.2f}   cpu fastest {min(cpu[n]):.3f} s   "
              f"all: {' '.join(f'{x:.3f}' for x in wall[n])}")


def profile(mode, reps, names):
    """`-Z self-profile` of each shape `reps` times; prints the fastest run's self times."""
    tool = f"{HERE}/summarize"
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=tool, check=True)
    summarize = f"{tool}/target/release/summarize-profile"
    env = dict(os.environ, CARGO_BUILD_JOBS="1", RUSTC_BOOTSTRAP="1")
    if mode == "full":
        env["CARGO_INCREMENTAL"] = "0"
    else:
        env.pop("CARGO_INCREMENTAL", None)
    for n in names:
        best = None
        for r in range(reps):
            stamp(n, int(time.time() * 1000) + r)
            d = f"{OUT}/profiles/{n}-{mode}/run{r}"
            shutil.rmtree(d, ignore_errors=True)
            subprocess.run(["cargo", "rustc", "--offline", "--quiet", "-p", n, "--profile=check", "--",
                            f"-Zself-profile={d}", "-Zself-profile-events=default,args"], cwd=OUT, env=env, check=True)
            f = [x for x in os.listdir(d) if x.endswith(".mm_profdata")][0]
            stem = f"{d}/{f[:-len('.mm_profdata')]}"
            head = subprocess.run([summarize, stem, "0"], capture_output=True, text=True, check=True).stdout
            total = float(head.split()[2])
            if best is None or total < best[0]:
                best = (total, stem)
        print(f"===== {n} {mode}: fastest of {reps}")
        print(subprocess.run([summarize, best[1], os.environ.get("TOP", "12")], capture_output=True, text=True, check=True).stdout)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "init"
    if cmd == "init":
        init()
    elif cmd == "time":
        timing(int(sys.argv[2]), sys.argv[3:])
    elif cmd == "profile":
        profile(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    else:
        raise SystemExit(__doc__)
