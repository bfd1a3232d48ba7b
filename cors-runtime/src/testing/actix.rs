//! The browser model through `actix_web::test` (feature `actix`): an [`Answer`] from an actix-web
//! response, the requests a browser sends for a [`CorsRequest`], and [`fetch`], which sends them.

use super::answer::{Answer, Verdict};
use super::request::CorsRequest;

impl<B> From<&actix_web::dev::ServiceResponse<B>> for Answer {
    fn from(res: &actix_web::dev::ServiceResponse<B>) -> Self {
        Self::from(res.response())
    }
}

impl<B> From<&actix_web::HttpResponse<B>> for Answer {
    fn from(res: &actix_web::HttpResponse<B>) -> Self {
        Self {
            status: res.status().as_u16(),
            headers: res
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
                .collect(),
        }
    }
}

/// Sends `request` to `app` at `uri` the way a browser's `fetch()` does, through
/// [`actix_web::test::call_service`]: the preflight first when one is needed (stopping there when
/// it is blocked), then the actual request with an empty body, and returns the browser's
/// [`Verdict`].
///
/// For a body or other details, build the requests with [`CorsRequest::preflight_request`] and
/// [`CorsRequest::actual_request`] and pass the answers to [`CorsRequest::check`].
pub async fn fetch<S, B>(app: &S, uri: &str, request: &CorsRequest) -> Verdict
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
{
    use actix_web::test::call_service;
    let preflight = if request.needs_preflight() {
        let answer =
            Answer::from(&call_service(app, request.preflight_request(uri).to_request()).await);
        let verdict = request.check_preflight(&answer);
        if !verdict.is_allowed() {
            return verdict;
        }
        Some(answer)
    } else {
        None
    };
    let actual = Answer::from(&call_service(app, request.actual_request(uri).to_request()).await);
    request.check(preflight.as_ref(), &actual)
}

impl CorsRequest {
    /// The preflight a browser sends for this request: `OPTIONS uri` with
    /// [`preflight_headers`](Self::preflight_headers).
    pub fn preflight_request(&self, uri: &str) -> actix_web::test::TestRequest {
        let mut req = actix_web::test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri(uri);
        for header in self.preflight_headers() {
            req = req.append_header(header);
        }
        req
    }

    /// The actual request: the method, `Origin`, and the script's headers (values that are not
    /// valid header values are left out).
    pub fn actual_request(&self, uri: &str) -> actix_web::test::TestRequest {
        let method = actix_web::http::Method::from_bytes(self.method.as_bytes())
            .unwrap_or(actix_web::http::Method::GET);
        let mut req = actix_web::test::TestRequest::default()
            .method(method)
            .uri(uri)
            .insert_header(("origin", self.origin.as_str()));
        for (name, value) in &self.headers {
            if let Ok(value) = actix_web::http::header::HeaderValue::from_bytes(value) {
                req = req.append_header((name.as_str(), value));
            }
        }
        req
    }
}
