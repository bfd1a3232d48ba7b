//! Issue 18's load run: a real server on 127.0.0.1 answers HTTP/1.1 traffic from client threads
//! while another thread replaces its run-time list every 10 ms. No answer may be other than one
//! of the lists could give: an origin in every list is always reflected, one in none never is,
//! and one that comes and goes is reflected or refused, never answered with another origin.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use actix_web::{App, HttpServer, get};
use route_cors::{RuntimeOrigins, cors};

static LIST: RuntimeOrigins = RuntimeOrigins::new();

#[cors(origins = runtime(LIST))]
#[get("/x")]
async fn x() -> &'static str {
    "x"
}

/// In every list.
const ALWAYS: &str = "https://always.example.com";
/// In the even lists only, and in the odd ones only.
const EVEN: &str = "https://even.example.com";
const ODD: &str = "https://odd.example.com";
/// In none.
const NEVER: &str = "https://never.example.com";

/// One request on a kept-alive connection: the status and `Access-Control-Allow-Origin`.
fn get_x(conn: &mut BufReader<TcpStream>, origin: &str) -> (u16, Option<String>) {
    // One write (no Nagle delay between pieces of the request).
    let request = format!("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {origin}\r\n\r\n");
    conn.get_mut().write_all(request.as_bytes()).expect("send");
    let mut status = String::new();
    conn.read_line(&mut status).expect("status line");
    let code: u16 = status
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("not an answer: {status:?}"));
    let (mut length, mut allow_origin) = (0usize, None);
    loop {
        let mut line = String::new();
        conn.read_line(&mut line).expect("header line");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("a header");
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().expect("a length"),
            "access-control-allow-origin" => allow_origin = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).expect("body");
    (code, allow_origin)
}

#[test]
fn a_list_replaced_every_10_ms_during_traffic_never_gives_an_unexpected_answer() {
    LIST.set([ALWAYS, EVEN]).expect("a valid list");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(|| App::new().service(x))
                .workers(2)
                .bind((Ipv4Addr::LOCALHOST, 0))
                .expect("bind 127.0.0.1");
            tx.send(server.addrs()[0].port()).unwrap();
            server.run().await.unwrap();
        });
    });
    let port = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the server starts");

    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            for i in 1..=300 {
                let list = if i % 2 == 0 {
                    [ALWAYS, EVEN]
                } else {
                    [ALWAYS, ODD]
                };
                LIST.update()
                    .by("load run")
                    .replace(list)
                    .expect("a valid list");
                thread::sleep(Duration::from_millis(10));
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let clients: Vec<_> = (0..2)
        .map(|_| {
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
                stream.set_nodelay(true).expect("TCP_NODELAY");
                let mut conn = BufReader::new(stream);
                // Per origin: (reflected, refused, unexpected answers).
                let mut seen = [
                    (0u32, 0u32, Vec::new()),
                    (0, 0, Vec::new()),
                    (0, 0, Vec::new()),
                    (0, 0, Vec::new()),
                ];
                let origins = [ALWAYS, EVEN, ODD, NEVER];
                let mut n = 0usize;
                while !done.load(Ordering::SeqCst) {
                    let which = n % origins.len();
                    n += 1;
                    let origin = origins[which];
                    match get_x(&mut conn, origin) {
                        (200, Some(reflected)) if reflected == origin => seen[which].0 += 1,
                        (403, None) => seen[which].1 += 1,
                        other => seen[which].2.push(format!("{origin}: {other:?}")),
                    }
                }
                seen
            })
        })
        .collect();
    writer.join().expect("the writer");
    let mut totals = [
        (0u32, 0u32, Vec::new()),
        (0, 0, Vec::new()),
        (0, 0, Vec::new()),
        (0, 0, Vec::new()),
    ];
    for client in clients {
        for (total, seen) in totals.iter_mut().zip(client.join().expect("a client")) {
            total.0 += seen.0;
            total.1 += seen.1;
            total.2.extend(seen.2);
        }
    }
    let [always, even, odd, never] = totals;
    println!(
        "reflected/refused: always {}/{}, even {}/{}, odd {}/{}, never {}/{}",
        always.0, always.1, even.0, even.1, odd.0, odd.1, never.0, never.1
    );
    for (name, (_, _, unexpected)) in [
        ("always", &always),
        ("even", &even),
        ("odd", &odd),
        ("never", &never),
    ] {
        assert!(unexpected.is_empty(), "{name}: {unexpected:?}");
    }
    assert!(
        always.0 > 100 && always.1 == 0,
        "always in the list: {always:?}"
    );
    assert!(
        never.0 == 0 && never.1 > 100,
        "never in the list: {never:?}"
    );
    // The swaps happened during the traffic: each coming-and-going origin was seen both ways.
    assert!(even.0 > 0 && even.1 > 0, "even: {even:?}");
    assert!(odd.0 > 0 && odd.1 > 0, "odd: {odd:?}");
}
