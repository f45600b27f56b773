//! Security headers on every answer.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: header::HeaderName, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    res
}

/// Axum answers malformed paths, queries, bodies and wrong methods with short English text.
/// Users get a Chinese sentence instead: an HTML page, or JSON under /api.
pub async fn friendly_rejections(req: Request, next: Next) -> Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let api = crate::auth::is_api(req.uri().path());
    let res = next.run(req).await;
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    let status = res.status();
    if !plain || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let message = match status {
        StatusCode::METHOD_NOT_ALLOWED => "不支持这种请求方式",
        StatusCode::PAYLOAD_TOO_LARGE => {
            "提交的内容过大（超过 4 MB），未保存。请点浏览器的“后退”回到表单，删减后再提交，已填写的内容一般仍在表单中"
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "提交的内容格式不受支持",
        StatusCode::NOT_FOUND => "未找到，或不在您的权限范围内",
        s if s.is_server_error() => "系统暂时无法完成这项操作，请稍后再试",
        _ => "请求的地址或参数有误，请检查后重试",
    };
    if api {
        let body = serde_json::json!({ "error": message, "fields": [] });
        return (status, axum::Json(body)).into_response();
    }
    let title = if status.is_server_error() {
        "系统出错"
    } else {
        "无法办理"
    };
    (
        status,
        crate::view::ErrorPage {
            title,
            message: message.to_string(),
        },
    )
        .into_response()
}
