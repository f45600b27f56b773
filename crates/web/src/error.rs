//! One error type for pages and one for the API. Details go to the log; the user gets a
//! clear Chinese sentence and, for the API, the field that was wrong.

use crate::view::ErrorPage;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ronghe_core::text::FieldErrors;
use ronghe_store::StoreError;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden,
    BadRequest(String),
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::Invalid(f) => AppError::BadRequest(
                f.0.iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "未找到",
                "您要找的内容不存在，或不在您的权限范围内。".to_string(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "无权操作",
                "您的账号没有这项操作的权限。如需办理，请联系上级党组织或系统管理员。".to_string(),
            ),
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, "无法办理", m),
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "系统出错",
                    "系统暂时无法完成这项操作，请稍后再试。问题已记录。".to_string(),
                )
            }
        };
        (status, ErrorPage { title, message }).into_response()
    }
}

#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    Unauthorized(String),
    Forbidden,
    NotFound,
    Invalid(FieldErrors),
    Locked(String),
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Forbidden => ApiError::Forbidden,
            StoreError::Invalid(f) => ApiError::Invalid(f),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message, fields) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m, None),
            ApiError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m, None),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "没有这项操作的权限".to_string(),
                None,
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "未找到，或不在您的权限范围内".to_string(),
                None,
            ),
            ApiError::Invalid(f) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "输入有误，请按字段说明修改".to_string(),
                Some(f),
            ),
            ApiError::Locked(m) => (StatusCode::LOCKED, m, None),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error (api)");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "系统暂时无法完成这项操作".to_string(),
                    None,
                )
            }
        };
        let body = serde_json::json!({
            "error": message,
            "fields": fields.map(|f| f.0).unwrap_or_default(),
        });
        (status, Json(body)).into_response()
    }
}
