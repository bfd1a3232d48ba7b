//! What the small examples share and no CORS setup needs: the port to listen on, and a bind
//! error that says how to move it. (`examples/common/` is a module, not an example of its own.)

/// `PORT`, or 8080.
pub fn port() -> std::io::Result<u16> {
    match std::env::var("PORT") {
        Ok(p) => p.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("PORT={p:?} is not a port number"),
            )
        }),
        Err(_) => Ok(8080),
    }
}

/// Says which variable moves the server when its port is taken.
pub fn explain_bind_error(e: std::io::Error, port: u16) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        std::io::Error::new(
            e.kind(),
            format!("127.0.0.1:{port} is already in use: run with PORT=<another port>"),
        )
    } else {
        e
    }
}
